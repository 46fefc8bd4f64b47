package io.tandem.cluster;

import java.util.List;

/**
 * One installed JGroups view, by node name.
 *
 * @param id the view's sequence number (grows with each view the coordinator installs)
 * @param members the members in view order (the first is the coordinator)
 * @param coordinator the coordinator's name
 * @param merge whether this view merges partitions that lived apart (after MERGE3 found them):
 *     both sides may have elected a MASTER and changed the table meanwhile
 */
public record ViewInfo(long id, List<String> members, String coordinator, boolean merge) {
  public ViewInfo {
    members = List.copyOf(members);
  }
}
