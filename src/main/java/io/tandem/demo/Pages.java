package io.tandem.demo;

/** The HTML page at {@code /}; everything echoed into it is escaped. */
final class Pages {

  private Pages() {}

  static String session(String backend, String session, long count) {
    return page(backend,
        "<p>Session <code>" + escape(session) + "</code></p>\n"
            + "<p class=\"count\">Count: <strong>" + count + "</strong></p>\n"
            + "<p><a href=\"/\">Reload</a> to count again.</p>\n");
  }

  /** The page for a visitor without a session here; {@code unknownId} may be null. */
  static String login(String backend, String unknownId) {
    String notice = unknownId == null
        ? "<p>No session.</p>\n"
        : "<p class=\"lost\">Session <code>" + escape(unknownId) + "</code> is unknown on "
            + escape(backend) + ".</p>\n";
    return page(backend, notice
        + "<form method=\"post\" action=\"/login\"><button type=\"submit\">Log in</button></form>\n");
  }

  private static String page(String backend, String body) {
    String name = escape(backend);
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + name + "</title>"
        + "<style>body{font-family:sans-serif;margin:2em}.lost{color:#b00}"
        + ".count{font-size:1.5em}</style></head>\n<body>\n<h1>Backend <span id=\"backend\">" + name
        + "</span></h1>\n" + body + "</body></html>\n";
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
