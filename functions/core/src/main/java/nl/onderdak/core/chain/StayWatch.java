package nl.onderdak.core.chain;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import nl.onderdak.core.model.Regions;
import nl.onderdak.core.storage.Attr;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The stays' clock, on a schedule: a stay whose agreed end is {@code endingSoonDays} away or nearer is told to its
 * support organisation and leads ({@code stay.ending_soon}), so that what comes next is prepared before the end; a
 * stay still running after its agreed end with no end or extension recorded raises {@code case.alert}
 * ({@code stay_past_agreed_end}). Each once per agreed end, through the programme's {@link StayStep}; the placed
 * matches are read per province from the {@code ByPool} index ({@code match#placed#<province>}). And an approved host
 * whose availability has ended leaves the pool by itself ({@link WithdrawalStep#availabilityEnded}).
 */
public final class StayWatch {
  private final Chain chain;
  private final int endingSoonDays;

  public StayWatch(Chain chain, int endingSoonDays) {
    this.chain = chain;
    this.endingSoonDays = endingSoonDays;
  }

  public record Outcome(int placed, int endingSoon, int pastEnd, int hostsEnded) {}

  public Outcome run() {
    return run(Regions.provinces().keySet());
  }

  /** The same, in these provinces only. */
  public Outcome run(java.util.Set<String> provinces) {
    LocalDate today = LocalDate.ofInstant(chain.clock().instant(), ZoneOffset.UTC);
    int placed = 0;
    int soon = 0;
    int past = 0;
    int hostsEnded = 0;
    for (String province : provinces) {
      hostsEnded += availabilityEnded(province, today);
      for (var item : chain.store().pool("match#placed#" + province)) {
        MatchView m = MatchView.of(item);
        placed++;
        String end = m.str("agreedEndDate");
        if (end == null) {
          continue; // a provider's home without an agreed end
        }
        LocalDate agreed = LocalDate.parse(end);
        StayStep stay = Programmes.of(m.str("hostProgramme")).step(StayStep.class);
        if (today.isAfter(agreed)) {
          if (!end.equals(m.str("pastEndFor")) && stay.clock(chain, chain.store().match(m.id()), StayStep.PAST_END)) {
            past++;
          }
        } else if (!today.isBefore(agreed.minusDays(endingSoonDays)) && !end.equals(m.str("endingSoonFor"))
            && stay.clock(chain, chain.store().match(m.id()), StayStep.ENDING_SOON)) {
          soon++;
        }
      }
    }
    return new Outcome(placed, soon, past, hostsEnded);
  }

  /** Approved hosts of the province whose last available day is before today: each withdrawn by the clock. */
  private int availabilityEnded(String province, LocalDate today) {
    int ended = 0;
    for (var item : chain.store().pool("host#approved#" + province)) {
      var profile = item.get("profile");
      var until = profile == null || !profile.hasM() ? null : profile.m().get("availableUntil");
      if (until == null || !LocalDate.parse(until.s()).isBefore(today)) {
        continue;
      }
      CaseView host = chain.store().caseView(Attr.str(item, "caseId"));
      if (host != null && host.programmeDefinition().step(WithdrawalStep.class).availabilityEnded(chain, host)) {
        ended++;
      }
    }
    return ended;
  }

  /** SnapStart's prime: the query of a pool that never exists (nothing read, nothing written). */
  public void prime() {
    chain.store().dynamo().query(QueryRequest.builder().tableName(chain.store().tables().cases()).indexName("ByPool")
        .keyConditionExpression("poolKey = :pool")
        .expressionAttributeValues(Map.of(":pool", Attr.s("match#placed#PRIMING"))).limit(1).build());
  }

  public int endingSoonDays() {
    return endingSoonDays;
  }
}
