package io.tandem.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Left-aligned columns two spaces apart, as {@code kubectl get} prints them; null cells print "-". */
final class TextTable {
  private final List<String[]> rows = new ArrayList<>();

  TextTable(String... header) {
    rows.add(header);
  }

  TextTable row(Object... cells) {
    String[] r = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      r[i] = cells[i] == null ? "-" : cells[i].toString();
    }
    rows.add(r);
    return this;
  }

  void print(PrintWriter out) {
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    for (String[] r : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(r[i]);
        if (i + 1 < columns) {
          line.append(" ".repeat(width[i] - r[i].length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }

  static String yesNo(Boolean b) {
    return b == null ? "-" : b ? "yes" : "no";
  }

  static String bytes(Long n) {
    if (n == null) {
      return "-";
    }
    if (n < 1024) {
      return n + " B";
    }
    double v = n;
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    int u = -1;
    while (v >= 1024 && u + 1 < units.length) {
      v /= 1024;
      u++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }

  static String ago(long ms) {
    if (ms < 1000) {
      return ms + " ms ago";
    }
    if (ms < 120_000) {
      return String.format(java.util.Locale.ROOT, "%.1f s ago", ms / 1000.0);
    }
    if (ms < 7_200_000) {
      return ms / 60_000 + " min ago";
    }
    return ms / 3_600_000 + " h ago";
  }
}
