package io.tandem.cli;

import io.vertx.core.json.JsonObject;

/** One backend as tandemctl shows it; the field names of {@link #toJson} are part of the stable schema. */
record BackendRow(String id, String url, String state, String adminState, Boolean healthy, Boolean ejected,
    Long inFlight, Long weight) {

  static BackendRow from(JsonObject b) {
    return new BackendRow(Fields.str(b, "id"), Fields.str(b, "url"), Fields.str(b, "state"),
        Fields.str(b, "admin_state"), Fields.bool(b, "healthy"), Fields.bool(b, "ejected"),
        Fields.num(b, "in_flight"), Fields.num(b, "weight"));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("url", url)
        .put("state", state)
        .put("admin_state", adminState)
        .put("healthy", healthy)
        .put("ejected", ejected)
        .put("in_flight", inFlight)
        .put("weight", weight);
  }

  static TextTable table() {
    return new TextTable("ID", "STATE", "ADMIN", "HEALTHY", "EJECTED", "IN-FLIGHT", "WEIGHT", "URL");
  }

  void addTo(TextTable t) {
    t.row(id, state, adminState, TextTable.yesNo(healthy), TextTable.yesNo(ejected), inFlight, weight, url);
  }
}
