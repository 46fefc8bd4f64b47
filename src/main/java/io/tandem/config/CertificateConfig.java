package io.tandem.config;

import java.nio.file.Path;

/** One PEM certificate chain and its private key. */
public record CertificateConfig(Path cert, Path key) {}
