package io.tandem.config;

import java.time.Duration;

/**
 * Active health checks: GET {@code path} every {@code interval}; a backend is UP after {@code rise}
 * good answers in a row and DOWN after {@code fall} bad ones. A good answer has a status in
 * [{@code expectMin}, {@code expectMax}].
 */
public record HealthConfig(
    String path, Duration interval, Duration timeout, int rise, int fall, int expectMin, int expectMax) {

  public boolean expected(int status) {
    return status >= expectMin && status <= expectMax;
  }
}
