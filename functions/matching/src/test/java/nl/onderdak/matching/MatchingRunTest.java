package nl.onderdak.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import nl.onderdak.core.SampleBodies;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.matching.MatchStore;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.registration.RegistrationService;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.storage.CaseStore;
import nl.onderdak.core.storage.Tables;
import nl.onderdak.core.support.Env;
import nl.onderdak.infra.dynamodb.DynamoDbFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Matching runs against DynamoDB Local: proposals written as conditional transactions, races that
 * never double-book, runs that can be repeated or retried after a crash. Each test works in provinces
 * no other test of this class uses, so pools never mix.
 */
class MatchingRunTest {
  private DynamoDbClient dynamo;
  private Tables tables;
  private RegistrationService registrations;
  private CaseStore cases;
  private MatchStore matches;
  private final List<ObjectNode> pictures = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    DynamoDbFixture fixture = DynamoDbFixture.shared();
    dynamo = fixture.client();
    tables = Env.with(fixture.functionEnvironment(), Tables::fromEnv);
    cases = new CaseStore(dynamo, tables);
    registrations = new RegistrationService(cases, Clock.systemUTC(), Duration.ofDays(30),
        new nl.onderdak.core.chain.RoutingStore(dynamo, tables.partners())::read);
    matches = new MatchStore(dynamo, tables);
  }

  private MatchingRun run(MatchStore store) {
    return new MatchingRun(store, Clock.systemUTC(), 14, (province, picture) -> pictures.add(picture));
  }

  private String guest(String province, int adults, boolean pets) {
    ObjectNode body = SampleBodies.household(province).put("adults", adults);
    body.putArray("languages").add("uk").add("en");
    if (pets) {
      body.putArray("pets").add("dog");
    }
    return registrations.register(CaseKind.GUEST, body, null).id();
  }

  private String approvedHost(String province, int beds, boolean pets) {
    ObjectNode body = (ObjectNode) Json.parse("""
        {"contact":{"name":"H","email":"h.%s@example.org"},"preferredLanguage":"nl",
         "address":{"street":"Markt","houseNumber":"1","postcode":"9711 AA","city":"X","province":"%s"},
         "beds":%d,"rooms":1,"separateRoom":true,"childrenWelcome":true,"petsWelcome":%s,"stepFreeAccess":true,
         "smokingInHome":false,"languages":["nl","en"],"availableFrom":"%s","availableUntil":"%s","consentToShare":true}
        """.formatted(UUID.randomUUID(), province, beds, pets, LocalDate.now().minusDays(1),
        LocalDate.now().plusMonths(3)));
    String id = registrations.register(CaseKind.HOST, body, null).id();
    cases.transition(id, HostStatus.SCREENING, HostStatus.APPROVED, Instant.now(), "test", "screened");
    return id;
  }

  private Map<String, AttributeValue> caseItem(String id) {
    return matches.caseItem(id);
  }

  @Test
  void aCompatiblePairIsProposedWithItsScoreAndReasons() {
    String g = guest("PV20", 2, false);
    String h = approvedHost("PV20", 3, false);
    MatchingRun.Outcome outcome = run(matches).run(List.of("PV20"), List.of(g, h));
    assertEquals(1, outcome.proposals());

    Map<String, AttributeValue> guest = caseItem(g);
    Map<String, AttributeValue> host = caseItem(h);
    assertEquals("proposed", Attr.str(guest, "status"));
    assertEquals("proposed", Attr.str(host, "status"));
    String matchId = Attr.str(guest, "matchId");
    assertEquals(matchId, Attr.str(host, "matchId"));
    Map<String, AttributeValue> match = matches.match(matchId);
    assertEquals("proposed", Attr.str(match, "status"));
    assertEquals(g, Attr.str(match, "guestId"));
    assertEquals(h, Attr.str(match, "hostId"));
    Map<String, AttributeValue> parts = match.get("scoreParts").m();
    long sum = parts.values().stream().mapToLong(v -> Long.parseLong(v.n())).sum();
    assertEquals(Attr.num(match, "score"), sum, "the score is the sum of its reasons");
    assertEquals(30, Long.parseLong(parts.get("language").n()), "they share English");
    // Both cases got their event, in the same transaction.
    var event = dynamo.getItem(b -> b.tableName(tables.cases()).key(Attr.key("CASE#" + g, "EVENT#000002"))
        .consistentRead(true)).item();
    assertEquals(matchId, Attr.str(event, "matchId"));
    assertEquals("proposed", Attr.str(event, "toStatus"));
    ObjectNode picture = pictures.get(pictures.size() - 1);
    assertEquals(1, picture.get("proposed").asInt());
    assertEquals(matchId, picture.get("proposals").get(0).get("matchId").asText());
  }

  @Test
  void twoRunsRacingOnOneRegionNeverDoubleBook() throws Exception {
    String h = approvedHost("PV21", 4, true);
    List<String> guests = List.of(guest("PV21", 2, false), guest("PV21", 2, false), guest("PV21", 1, false));
    ExecutorService pool = Executors.newFixedThreadPool(3);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<MatchingRun.Outcome>> runs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      runs.add(pool.submit(() -> {
        go.await();
        return run(new MatchStore(dynamo, tables)).run(List.of("PV21"), List.of());
      }));
    }
    go.countDown();
    int proposals = 0;
    for (Future<MatchingRun.Outcome> f : runs) {
      proposals += f.get().proposals();
    }
    pool.shutdown();
    assertEquals(1, proposals, "one host, one proposal, whichever run won");
    assertEquals(3, Attr.num(caseItem(h), "version"), "registered, approved, proposed: nothing more");
    long proposedGuests = guests.stream().filter(g -> "proposed".equals(Attr.str(caseItem(g), "status"))).count();
    assertEquals(1, proposedGuests);
  }

  @Test
  void aRepeatedRunChangesNothing() {
    guest("PV22", 2, false);
    guest("PV22", 1, false);
    approvedHost("PV22", 2, false);
    assertEquals(1, run(matches).run(List.of("PV22"), List.of()).proposals());
    long before = count();
    MatchingRun.Outcome again = run(matches).run(List.of("PV22"), List.of());
    assertEquals(0, again.proposals());
    assertEquals(before, count(), "no new item: the replayed batch proposes nothing twice");
  }

  @Test
  void aRunThatCrashesHalfWayAndIsRetriedEndsLikeACleanRun() {
    // The same pools twice: one province for a clean run, one for a crashing one.
    for (String province : List.of("PV23", "PV24")) {
      guest(province, 1, false);
      guest(province, 2, false);
      guest(province, 3, false);
      approvedHost(province, 1, false);
      approvedHost(province, 2, false);
      approvedHost(province, 3, false);
    }
    MatchingRun.Outcome clean = run(matches).run(List.of("PV23"), List.of());
    MatchStore crashing = new MatchStore(dynamo, tables) {
      @Override
      public List<Boolean> proposeAll(List<Proposal> proposals, Instant at) {
        // The first proposal is written, then the function dies.
        super.proposeAll(proposals.subList(0, 1), at);
        throw new IllegalStateException("the function was killed");
      }
    };
    try {
      run(crashing).run(List.of("PV24"), List.of());
    } catch (IllegalStateException expected) {
      // Lambda retries the batch.
    }
    MatchingRun.Outcome retry = run(matches).run(List.of("PV24"), List.of());
    assertEquals(clean.proposals(), 1 + retry.proposals(), "the retry finished what the crash left");
    assertEquals(scoreOfProposals("PV23"), scoreOfProposals("PV24"), "and reached the same total score");
  }

  private long scoreOfProposals(String province) {
    long total = 0;
    for (Map<String, AttributeValue> item : dynamo.scanPaginator(b -> b.tableName(tables.cases())
        .filterExpression("itemType = :m AND #r = :p")
        .expressionAttributeNames(Map.of("#r", "region"))
        .expressionAttributeValues(Map.of(":m", Attr.s("MATCH"), ":p", Attr.s(province)))).items()) {
      total += Attr.num(item, "score");
    }
    return total;
  }

  @Test
  void anUnmatchedHouseholdIsToldWhy() {
    String g = guest("PV25", 2, true);
    approvedHost("PV25", 4, false);
    MatchingRun.Outcome outcome = run(matches).run(List.of("PV25"), List.of(g));
    assertEquals(0, outcome.proposals());
    Map<String, AttributeValue> guest = caseItem(g);
    assertEquals("open", Attr.str(guest, "status"));
    assertEquals("NO_HOST_WELCOMES_PETS", Attr.str(guest, "unmatchedReason"));
    assertTrue(Attr.str(guest, "unmatchedDetail").contains("0 welcome pets"), Attr.str(guest, "unmatchedDetail"));
    ObjectNode picture = pictures.get(pictures.size() - 1);
    ArrayNode unmatched = (ArrayNode) picture.get("unmatched");
    assertNotNull(unmatched);
    assertEquals(1, picture.get("unmatchedByReason").get("NO_HOST_WELCOMES_PETS").asInt());
  }

  @Test
  void aHouseholdIsExplainedOnlyByARunOverAllTheRegionsItAccepts() {
    ObjectNode body = SampleBodies.household("PV27", "PV28").put("adults", 2);
    body.putArray("languages").add("uk").add("en");
    body.putArray("pets").add("dog");
    String g = registrations.register(CaseKind.GUEST, body, null).id();
    approvedHost("PV27", 4, false);
    approvedHost("PV28", 4, false);

    run(matches).run(List.of("PV27"), List.of(g));
    assertEquals(null, Attr.str(caseItem(g), "unmatchedReason"),
        "a run over PV27 alone sees half of what the household accepts: no explanation from it");

    run(matches).run(List.of("PV27", "PV28"), List.of(g));
    assertEquals("NO_HOST_WELCOMES_PETS", Attr.str(caseItem(g), "unmatchedReason"));
    assertTrue(Attr.str(caseItem(g), "unmatchedDetail").startsWith("2 approved hosts in its regions"),
        Attr.str(caseItem(g), "unmatchedDetail"));
  }

  @Test
  void proposalsGoInGroupsAndAGroupThatLosesARaceIsWrittenPairByPair() {
    List<MatchStore.Proposal> proposals = new ArrayList<>();
    List<String> guests = new ArrayList<>();
    List<String> hosts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String g = guest("PV26", 1, false);
      String h = approvedHost("PV26", 2, false);
      guests.add(g);
      hosts.add(h);
      // The second pair was read at a version its household has left (another run or a partner got there first).
      Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> guestItem =
          new java.util.HashMap<>(caseItem(g));
      guestItem.put("version", Attr.n(Attr.num(guestItem, "version") + (i == 1 ? 7 : 0)));
      proposals.add(MatchStore.Proposal.of(MatchingRun.matchId(g, h, caseItem(g)), guestItem, caseItem(h), 50,
          Map.of("language", 10), "R-test"));
    }

    assertEquals(List.of(true, false, true), matches.proposeAll(proposals, Instant.now()));
    assertEquals(List.of("proposed", "open", "proposed"), guests.stream().map(g -> Attr.str(caseItem(g), "status")).toList());
    assertEquals(List.of("proposed", "approved", "proposed"), hosts.stream().map(h -> Attr.str(caseItem(h), "status")).toList());

    // Out of the pools again, so that no other test of this class meets them.
    cases.transition(guests.get(1), nl.onderdak.core.model.GuestStatus.OPEN, nl.onderdak.core.model.GuestStatus.WITHDRAWN,
        Instant.now(), "test", "done");
    cases.transition(hosts.get(1), HostStatus.APPROVED, HostStatus.WITHDRAWN, Instant.now(), "test", "done");
  }

  private long count() {
    return dynamo.scanPaginator(b -> b.tableName(tables.cases()).select("COUNT")).stream()
        .mapToLong(r -> r.count()).sum();
  }

  @Test
  void theGreedyStrategyAlsoProposesOnlySafePairsAndAnUnknownOneIsRefused() {
    String g = guest("PV26", 2, false);
    String h = approvedHost("PV26", 3, false);
    MatchingRun greedy = new MatchingRun(matches, Clock.systemUTC(), 14, (province, picture) -> pictures.add(picture),
        MatchingRun.solver("greedy"));
    assertEquals(1, greedy.run(List.of("PV26"), List.of(g, h)).proposals());
    assertEquals(Attr.str(caseItem(g), "matchId"), Attr.str(caseItem(h), "matchId"));
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> MatchingRun.solver("fastest"));
    assertTrue(e.getMessage().contains("MATCHING_STRATEGY"), e.getMessage());
  }
}
