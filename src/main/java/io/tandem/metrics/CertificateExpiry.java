package io.tandem.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code tandem_certificate_expiry_seconds{listener,cert}}: seconds until each served certificate
 * (the first of each chain) expires, so an alert fires days before clients start failing. The files
 * are read at start and again after every TLS reload ({@link #refresh} does blocking I/O: call it
 * from a worker).
 */
public final class CertificateExpiry {
  private final List<Entry> entries = new CopyOnWriteArrayList<>();
  private final MeterRegistry registry;

  CertificateExpiry(MeterRegistry registry) {
    this.registry = registry;
  }

  public void watch(String listener, Path cert) {
    Entry e = new Entry(cert);
    entries.add(e);
    e.read();
    Gauge.builder("tandem.certificate.expiry", e, x -> (x.notAfterMillis - System.currentTimeMillis()) / 1000.0)
        .description("Seconds until the certificate expires (negative: expired; NaN: unreadable)")
        .baseUnit("seconds").tag("listener", listener).tag("cert", cert.getFileName().toString()).register(registry);
  }

  /** Reads every watched file again (blocking). */
  public void refresh() {
    entries.forEach(Entry::read);
  }

  private static final class Entry {
    final Path path;
    volatile double notAfterMillis = Double.NaN;

    Entry(Path path) {
      this.path = path;
    }

    void read() {
      try (InputStream in = Files.newInputStream(path)) {
        X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        notAfterMillis = c.getNotAfter().getTime();
      } catch (IOException | CertificateException | ClassCastException e) {
        notAfterMillis = Double.NaN;
      }
    }
  }
}
