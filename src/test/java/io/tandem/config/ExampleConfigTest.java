package io.tandem.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The shipped example must stay valid and keep showing every section. */
class ExampleConfigTest {
  @Test
  void exampleConfigIsValid() throws Exception {
    TandemConfig c = new ConfigLoader().load(Path.of("conf/tandem.yaml"));
    assertThat(c.node().name()).isEqualTo("lb1");
    assertThat(c.listen()).hasSize(2);
    assertThat(c.listen().get(1).tls()).isPresent();
    assertThat(c.backends()).extracting(BackendConfig::id).containsExactly("web1", "web2");
    assertThat(c.sticky().mode()).isEqualTo(StickyMode.LEARN);
    assertThat(c.sticky().trustedProxies()).isNotEmpty();
  }
}
