package io.tandem.config;

/** Parser limits: above them a request gets 431, 414 or 413. */
public record LimitsConfig(int maxHeaderBytes, int maxUriBytes, long maxBodyBytes) {}
