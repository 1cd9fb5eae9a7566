package nl.onderdak.partners;

import static nl.onderdak.core.storage.Attr.s;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import nl.onderdak.core.chain.Chain;
import nl.onderdak.core.chain.ChainStore;
import nl.onderdak.core.chain.MatchView;
import nl.onderdak.core.chain.Programmes;
import nl.onderdak.core.chain.ProposalReviewStep;
import nl.onderdak.core.chain.Refused;
import nl.onderdak.core.model.Regions;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.storage.DynamoDbClients;
import nl.onderdak.core.storage.Tables;
import nl.onderdak.core.support.Env;
import nl.onderdak.function.JsonLog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * On a schedule: every proposal not reviewed within {@code PROPOSAL_REVIEW_MINUTES} expires, which does
 * what a decline does (both sides back in the pool, the pair barred) and tells the partners
 * ({@code match.expired}). Proposals are found through the {@code ByPool} index
 * ({@code match#proposed#<province>}, ordered by proposal time), so a run reads only the expired ones.
 * It takes the EventBridge event as a map: nothing in it is needed, and {@code ScheduledEvent} would
 * bring Joda-Time into the jar.
 */
public final class ProposalExpiryHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private final DynamoDbClient dynamo;
  private final Tables tables;
  private final Chain chain;
  private final Duration reviewTime;
  private final Clock clock;

  public ProposalExpiryHandler() {
    this(DynamoDbClients.fromEnv(), Tables.fromEnv(), reviewTime(Env.get("PROPOSAL_REVIEW_MINUTES")),
        Clock.systemUTC());
  }

  /** Minutes, fractions allowed (a rehearsal's fast clock makes 72 h a few seconds); 72 h when unset. */
  static Duration reviewTime(String minutes) {
    if (minutes == null || minutes.isBlank()) {
      return Duration.ofHours(72);
    }
    return Duration.ofMillis(Math.round(Double.parseDouble(minutes.strip()) * 60_000));
  }

  ProposalExpiryHandler(DynamoDbClient dynamo, Tables tables, Duration reviewTime, Clock clock) {
    this.dynamo = dynamo;
    this.tables = tables;
    this.chain = new Chain(new ChainStore(dynamo, tables,
        Duration.ofDays(Env.integer("PERSONAL_DATA_RETENTION_DAYS", 365))), clock);
    this.reviewTime = reviewTime;
    this.clock = clock;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> scheduledEvent, Context context) {
    Instant now = clock.instant();
    String cutoff = now.minus(reviewTime).toString();
    int expired = 0;
    int raced = 0;
    for (String province : Regions.provinces().keySet()) {
      QueryRequest query = QueryRequest.builder().tableName(tables.cases()).indexName("ByPool")
          .keyConditionExpression("poolKey = :pool AND poolOrder < :cutoff")
          .expressionAttributeValues(Map.of(":pool", s("match#proposed#" + province), ":cutoff", s(cutoff)))
          .build();
      for (var item : dynamo.queryPaginator(query).items()) {
        try {
          MatchView m = MatchView.of(item);
          ProposalReviewStep review = Programmes.of(m.str("hostProgramme")).step(ProposalReviewStep.class);
          review.expire(chain, chain.store().match(m.id()));
          expired++;
        } catch (Refused e) {
          raced++; // reviewed meanwhile: the review wins
        }
      }
    }
    ObjectNode line = JsonLog.line("INFO", "proposal expiry");
    line.put("expired", expired).put("reviewedMeanwhile", raced).put("reviewMinutes", reviewTime.toMinutes());
    JsonLog.write(line);
    return Map.of("expired", expired, "reviewedMeanwhile", raced);
  }
}
