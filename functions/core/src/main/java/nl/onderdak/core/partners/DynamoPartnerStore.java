package nl.onderdak.core.partners;

import static nl.onderdak.core.storage.Attr.s;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import nl.onderdak.core.storage.Attr;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The {@link PartnerStore} in the partners table.
 *
 * <ul>
 *   <li>{@code PARTNER#id / PARTNER}: name, roles, regions, endpoints (with their signing secrets).
 *   <li>{@code KEY#sha256(key) / KEY}: the lookup an API key is checked against. Only the hash of a key
 *       is ever stored; the key itself is shown once, when it is made.
 *   <li>{@code PARTNER#id / KEY#keyId}: the partner's keys, for rotation and revocation.
 * </ul>
 *
 * A rotated key keeps working until the overlap ends ({@code notAfter}); a revoked one stops at once.
 */
public final class DynamoPartnerStore implements PartnerStore {
  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoPartnerStore(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  @Override
  public Created create(String name, Set<Role> roles, Set<String> regions, Instant at) {
    String id = Credentials.newPartnerId();
    IssuedKey key = Credentials.newKey(at);
    Map<String, AttributeValue> partner = Attr.item(
        "pk", "PARTNER#" + id, "sk", "PARTNER", "itemType", "PARTNER", LIST_KEY, LIST_VALUE, "partnerId", id,
        "name", name,
        "roles", AttributeValue.fromSs(roles.stream().map(Role::wire).sorted().toList()),
        "regions", AttributeValue.fromSs(regions.stream().sorted().toList()),
        "endpoints", AttributeValue.fromL(List.of()), "version", 1L, "createdAt", at.toString());
    // The routing learns in the same transaction that this organisation holds these roles there.
    dynamo.transactWriteItems(b -> b.transactItems(putNew(partner), putNew(lookupItem(id, key)),
        putNew(listingItem(id, key)), new nl.onderdak.core.chain.RoutingStore(dynamo, table).addHolder(id, roles,
            regions)));
    return new Created(new Partner(id, name, roles, regions, List.of()), key);
  }

  @Override
  public Optional<IssuedKey> rotateKey(String partnerId, Duration overlap, Instant at) {
    if (find(partnerId).isEmpty()) {
      return Optional.empty();
    }
    IssuedKey key = Credentials.newKey(at);
    for (Map<String, AttributeValue> k : keys(partnerId)) {
      String current = Attr.str(k, "notAfter");
      Instant end = Credentials.endAfterRotation(revoked(k), current == null ? null : Instant.parse(current), at,
          overlap);
      if (end != null) {
        setKeyAttributes(partnerId, Attr.str(k, "keyId"), Attr.str(k, "keyHash"), "notAfter", s(end.toString()));
      }
    }
    dynamo.transactWriteItems(b -> b.transactItems(putNew(lookupItem(partnerId, key)), putNew(listingItem(partnerId, key))));
    return Optional.of(key);
  }

  @Override
  public boolean revokeKey(String partnerId, String keyId, Instant at) {
    for (Map<String, AttributeValue> k : keys(partnerId)) {
      if (keyId.equals(Attr.str(k, "keyId"))) {
        setKeyAttributes(partnerId, keyId, Attr.str(k, "keyHash"), "revoked", AttributeValue.fromBool(true));
        return true;
      }
    }
    return false;
  }

  @Override
  public Optional<String> authenticate(String presentedKey, Instant now) {
    if (!Credentials.couldBeKey(presentedKey)) {
      return Optional.empty();
    }
    Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
        .key(Attr.key("KEY#" + Credentials.keyHash(presentedKey), "KEY")).consistentRead(true)).item();
    if (item == null || item.isEmpty()) {
      return Optional.empty();
    }
    String notAfter = Attr.str(item, "notAfter");
    if (!Credentials.keyWorks(revoked(item), notAfter == null ? null : Instant.parse(notAfter), now)
        || Boolean.TRUE.equals(item.get(SUSPENDED) == null ? null : item.get(SUSPENDED).bool())) {
      return Optional.empty();
    }
    return Optional.ofNullable(Attr.str(item, "partnerId"));
  }

  /** On a key while its organisation is disabled: the key does not work, and works again when it is enabled. */
  private static final String SUSPENDED = "suspended";

  private static boolean revoked(Map<String, AttributeValue> key) {
    return key.get("revoked") != null && Boolean.TRUE.equals(key.get("revoked").bool());
  }

  @Override
  public Optional<Partner> find(String partnerId) {
    Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
        .key(Attr.key("PARTNER#" + partnerId, "PARTNER")).consistentRead(true)).item();
    return item == null || item.isEmpty() ? Optional.empty() : Optional.of(partner(item));
  }

  @Override
  public boolean setPublicContact(String partnerId, PublicContact contact, Instant at) {
    Optional<Partner> partner = find(partnerId);
    if (partner.isEmpty()) {
      return false;
    }
    // An item of its own, apart from the partner's keys and secrets: the registrants' status page may read these
    // items and nothing else of the table (its policy's dynamodb:LeadingKeys).
    dynamo.putItem(b -> b.tableName(table).item(Attr.item("pk", publicKey(partnerId), "sk", "PROFILE",
        "itemType", "PUBLIC_PROFILE", "partnerId", partnerId, "name", partner.get().name(),
        "publicContact", contact.toAttribute(), "updatedAt", at.toString())));
    return true;
  }

  @Override
  public Optional<PublicContact.Profile> publicProfile(String partnerId) {
    Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
        .key(Attr.key(publicKey(partnerId), "PROFILE"))).item();
    return item == null || item.isEmpty() ? Optional.empty() : Optional.of(new PublicContact.Profile(
        Attr.str(item, "name"), PublicContact.from(item.get("publicContact"))));
  }

  private static String publicKey(String partnerId) {
    return "PUBLIC#" + partnerId;
  }


  /**
   * Every partner, from the sparse index {@value #LIST_INDEX} (only partner items carry {@value #LIST_KEY}). Not a
   * scan: the table also holds every partner's webhook log, tens of thousands of items in a surge, and the
   * case-events reader asks for all partners on every batch (the surge rehearsal found a scan here took
   * seconds per batch once the log had grown).
   */
  @Override
  public List<Partner> all() {
    List<Partner> out = new ArrayList<>();
    dynamo.queryPaginator(QueryRequest.builder().tableName(table).indexName(LIST_INDEX)
        .keyConditionExpression(LIST_KEY + " = :all").expressionAttributeValues(Map.of(":all", s(LIST_VALUE))).build())
        .items().forEach(i -> out.add(partner(i)));
    return out;
  }

  /** The index that lists every partner, its key attribute, and the one value that attribute takes. */
  public static final String LIST_INDEX = "AllPartners";
  static final String LIST_KEY = "partnerList";
  static final String LIST_VALUE = "ALL";

  @Override
  public Optional<IssuedEndpoint> addEndpoint(String partnerId, String url, Set<String> events, Instant at) {
    String id = Credentials.newEndpointId();
    String secret = Credentials.newSecret();
    boolean done = updateEndpoints(partnerId, endpoints -> {
      Map<String, AttributeValue> e = new HashMap<>(Attr.item("endpointId", id, "url", url,
          "events", AttributeValue.fromSs(events.stream().sorted().toList()), "disabled", false,
          "createdAt", at.toString()));
      e.put("secrets", AttributeValue.fromL(List.of(Attr.map("secret", secret, "createdAt", at.toString()))));
      endpoints.add(AttributeValue.fromM(e));
      return true;
    });
    return done ? Optional.of(new IssuedEndpoint(id, url, secret)) : Optional.empty();
  }

  @Override
  public Optional<String> rotateSecret(String partnerId, String endpointId, Duration overlap, Instant at) {
    String secret = Credentials.newSecret();
    boolean done = updateEndpoints(partnerId, endpoints -> {
      for (int i = 0; i < endpoints.size(); i++) {
        Map<String, AttributeValue> e = new HashMap<>(endpoints.get(i).m());
        if (!endpointId.equals(Attr.str(e, "endpointId"))) {
          continue;
        }
        List<Credentials.Secret> before = new ArrayList<>();
        for (AttributeValue old : e.get("secrets").l()) {
          before.add(secret(old.m()));
        }
        List<AttributeValue> secrets = new ArrayList<>();
        for (Credentials.Secret kept : Credentials.afterSecretRotation(before, secret, at, overlap)) {
          Map<String, AttributeValue> m = new HashMap<>(Attr.map("secret", kept.value(), "createdAt",
              kept.createdAt().toString()).m());
          if (kept.notAfter() != null) {
            m.put("notAfter", s(kept.notAfter().toString()));
          }
          secrets.add(AttributeValue.fromM(m));
        }
        e.put("secrets", AttributeValue.fromL(secrets));
        endpoints.set(i, AttributeValue.fromM(e));
        return true;
      }
      return false;
    });
    return done ? Optional.of(secret) : Optional.empty();
  }

  private static Credentials.Secret secret(Map<String, AttributeValue> m) {
    String createdAt = Attr.str(m, "createdAt");
    String notAfter = Attr.str(m, "notAfter");
    return new Credentials.Secret(Attr.str(m, "secret"), createdAt == null ? Instant.EPOCH : Instant.parse(createdAt),
        notAfter == null ? null : Instant.parse(notAfter));
  }

  @Override
  public boolean setEndpointDisabled(String partnerId, String endpointId, boolean disabled, String reason, Instant at) {
    return updateEndpoints(partnerId, endpoints -> {
      for (int i = 0; i < endpoints.size(); i++) {
        Map<String, AttributeValue> e = new HashMap<>(endpoints.get(i).m());
        if (endpointId.equals(Attr.str(e, "endpointId"))) {
          e.put("disabled", AttributeValue.fromBool(disabled));
          if (disabled) {
            e.put("disabledReason", s(reason));
            e.put("disabledAt", s(at.toString()));
          } else {
            e.remove("disabledReason");
            e.remove("disabledAt");
          }
          endpoints.set(i, AttributeValue.fromM(e));
          return true;
        }
      }
      return false;
    });
  }

  @Override
  public boolean setDisabled(String partnerId, boolean disabled, String reason, Instant at) {
    Map<String, AttributeValue> item = partnerItem(partnerId);
    if (item == null) {
      return false;
    }
    Partner p = partner(item);
    if (p.disabled() == disabled) {
      return true;
    }
    List<TransactWriteItem> writes = new ArrayList<>();
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":d", AttributeValue.fromBool(disabled),
        ":v", Attr.n(Attr.num(item, "version")), ":next", Attr.n(Attr.num(item, "version") + 1), ":at", s(at.toString())));
    String set = "SET disabled = :d, #v = :next, disabledAt = :at";
    if (disabled) {
      set += ", disabledReason = :r";
      values.put(":r", s(reason));
    } else {
      set += " REMOVE disabledReason";
    }
    String expression = set;
    writes.add(TransactWriteItem.builder().update(u -> u.tableName(table).key(Attr.key("PARTNER#" + partnerId, "PARTNER"))
        .updateExpression(expression).conditionExpression("#v = :v")
        .expressionAttributeNames(Map.of("#v", "version")).expressionAttributeValues(values)).build());
    nl.onderdak.core.chain.RoutingStore routing = new nl.onderdak.core.chain.RoutingStore(dynamo, table);
    TransactWriteItem holders = disabled
        ? routing.holders(partnerId, Set.of(), Set.of(), p.roles(), p.regions(), true)
        : routing.holders(partnerId, p.roles(), p.regions(), Set.of(), Set.of(), false);
    if (holders != null) {
      writes.add(holders);
    }
    // Every key of the organisation, both its lookup and its listing, in the same write: they stop at once.
    for (Map<String, AttributeValue> k : keys(partnerId)) {
      for (Map<String, AttributeValue> key : List.of(Attr.key("PARTNER#" + partnerId, "KEY#" + Attr.str(k, "keyId")),
          Attr.key("KEY#" + Attr.str(k, "keyHash"), "KEY"))) {
        writes.add(TransactWriteItem.builder().update(u -> u.tableName(table).key(key)
            .updateExpression(disabled ? "SET " + SUSPENDED + " = :t" : "REMOVE " + SUSPENDED)
            .expressionAttributeValues(disabled ? Map.of(":t", AttributeValue.fromBool(true)) : null)).build());
      }
    }
    dynamo.transactWriteItems(b -> b.transactItems(writes));
    return true;
  }

  @Override
  public Optional<Partner> change(String partnerId, Set<Role> roles, Set<String> regions, Instant at) {
    Map<String, AttributeValue> item = partnerItem(partnerId);
    if (item == null) {
      return Optional.empty();
    }
    Partner p = partner(item);
    List<TransactWriteItem> writes = new ArrayList<>();
    long version = Attr.num(item, "version");
    writes.add(TransactWriteItem.builder().update(u -> u.tableName(table).key(Attr.key("PARTNER#" + partnerId, "PARTNER"))
        .updateExpression("SET #roles = :roles, regions = :regions, #v = :next, changedAt = :at")
        .conditionExpression("#v = :v")
        .expressionAttributeNames(Map.of("#v", "version", "#roles", "roles"))
        .expressionAttributeValues(Map.of(":roles", AttributeValue.fromSs(roles.stream().map(Role::wire).sorted().toList()),
            ":regions", AttributeValue.fromSs(regions.stream().sorted().toList()), ":v", Attr.n(version),
            ":next", Attr.n(version + 1), ":at", s(at.toString())))).build());
    if (!p.disabled()) {
      // Holders: what it holds now, less what it held (a disabled one holds nothing until it is enabled).
      TransactWriteItem holders = new nl.onderdak.core.chain.RoutingStore(dynamo, table)
          .holders(partnerId, roles, regions, p.roles(), p.regions(), null);
      if (holders != null) {
        writes.add(holders);
      }
    }
    dynamo.transactWriteItems(b -> b.transactItems(writes));
    return find(partnerId);
  }

  @Override
  public boolean deleteEndpoint(String partnerId, String endpointId, Instant at) {
    return updateEndpoints(partnerId, endpoints -> endpoints.removeIf(e -> endpointId.equals(Attr.str(e.m(), "endpointId"))));
  }

  @Override
  public Deleted delete(String partnerId, Instant at) {
    Map<String, AttributeValue> item = partnerItem(partnerId);
    if (item == null) {
      return Deleted.NOT_FOUND;
    }
    if (!partner(item).disabled()) {
      return Deleted.NOT_DISABLED;
    }
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table).key(Attr.key("PARTNER#" + partnerId, "PARTNER"))
        .conditionExpression("disabled = :t").expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true))))
        .build());
    for (Map<String, AttributeValue> k : keys(partnerId)) {
      writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table)
          .key(Attr.key("PARTNER#" + partnerId, "KEY#" + Attr.str(k, "keyId")))).build());
      writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table)
          .key(Attr.key("KEY#" + Attr.str(k, "keyHash"), "KEY"))).build());
    }
    // Its public profile goes with it (a delete of an item that is not there is no error).
    writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table).key(Attr.key(publicKey(partnerId),
        "PROFILE"))).build());
    TransactWriteItem routing = new nl.onderdak.core.chain.RoutingStore(dynamo, table)
        .holders(partnerId, Set.of(), Set.of(), Set.of(), Set.of(), false);
    writes.add(routing);
    dynamo.transactWriteItems(b -> b.transactItems(writes));
    return Deleted.DELETED;
  }

  private Map<String, AttributeValue> partnerItem(String partnerId) {
    Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
        .key(Attr.key("PARTNER#" + partnerId, "PARTNER")).consistentRead(true)).item();
    return item == null || item.isEmpty() ? null : item;
  }

  // ------------------------------------------------------------------ internals

  private interface EndpointChange {
    boolean apply(List<AttributeValue> endpoints);
  }

  /** Read, change, write back if nobody else changed the partner meanwhile; retried on a race. */
  private boolean updateEndpoints(String partnerId, EndpointChange change) {
    for (int attempt = 0; attempt < 5; attempt++) {
      Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
          .key(Attr.key("PARTNER#" + partnerId, "PARTNER")).consistentRead(true)).item();
      if (item == null || item.isEmpty()) {
        return false;
      }
      List<AttributeValue> endpoints = new ArrayList<>(item.get("endpoints").l());
      if (!change.apply(endpoints)) {
        return false;
      }
      long version = Attr.num(item, "version");
      try {
        dynamo.updateItem(b -> b.tableName(table).key(Attr.key("PARTNER#" + partnerId, "PARTNER"))
            .updateExpression("SET endpoints = :e, #v = :next")
            .conditionExpression("#v = :v")
            .expressionAttributeNames(Map.of("#v", "version"))
            .expressionAttributeValues(Map.of(":e", AttributeValue.fromL(endpoints), ":v", Attr.n(version),
                ":next", Attr.n(version + 1))));
        return true;
      } catch (ConditionalCheckFailedException e) {
        // changed meanwhile: read again
      }
    }
    throw new IllegalStateException("partner " + partnerId + " keeps changing; try again");
  }

  private List<Map<String, AttributeValue>> keys(String partnerId) {
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    dynamo.queryPaginator(QueryRequest.builder().tableName(table)
        .keyConditionExpression("pk = :pk AND begins_with(sk, :key)")
        .expressionAttributeValues(Map.of(":pk", s("PARTNER#" + partnerId), ":key", s("KEY#")))
        .consistentRead(true).build()).items().forEach(out::add);
    return out;
  }

  private void setKeyAttributes(String partnerId, String keyId, String hash, String name, AttributeValue value) {
    for (Map<String, AttributeValue> key : List.of(Attr.key("PARTNER#" + partnerId, "KEY#" + keyId),
        Attr.key("KEY#" + hash, "KEY"))) {
      dynamo.updateItem(b -> b.tableName(table).key(key).updateExpression("SET #a = :v")
          .expressionAttributeNames(Map.of("#a", name)).expressionAttributeValues(Map.of(":v", value)));
    }
  }

  private Map<String, AttributeValue> lookupItem(String partnerId, IssuedKey key) {
    return Attr.item("pk", "KEY#" + Credentials.keyHash(key.apiKey()), "sk", "KEY", "itemType", "KEY",
        "partnerId", partnerId, "keyId", key.keyId(), "createdAt", key.createdAt().toString());
  }

  private Map<String, AttributeValue> listingItem(String partnerId, IssuedKey key) {
    return Attr.item("pk", "PARTNER#" + partnerId, "sk", "KEY#" + key.keyId(), "itemType", "PARTNER_KEY",
        "keyId", key.keyId(), "keyHash", Credentials.keyHash(key.apiKey()), "createdAt", key.createdAt().toString());
  }

  private TransactWriteItem putNew(Map<String, AttributeValue> item) {
    return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
        .conditionExpression("attribute_not_exists(pk)").build()).build();
  }

  static Partner partner(Map<String, AttributeValue> item) {
    Set<Role> roles = item.get("roles") == null ? Set.of()
        : item.get("roles").ss().stream().map(Role::fromWire).filter(r -> r != null).collect(Collectors.toSet());
    Set<String> regions = item.get("regions") == null ? Set.of() : new LinkedHashSet<>(item.get("regions").ss());
    List<Partner.Endpoint> endpoints = new ArrayList<>();
    Instant now = Instant.now();
    if (item.get("endpoints") != null) {
      for (AttributeValue v : item.get("endpoints").l()) {
        Map<String, AttributeValue> e = v.m();
        List<String> secrets = new ArrayList<>();
        for (AttributeValue sv : e.get("secrets").l()) {
          Credentials.Secret secret = secret(sv.m());
          if (secret.signs(now)) {
            secrets.add(secret.value());
          }
        }
        endpoints.add(new Partner.Endpoint(Attr.str(e, "endpointId"), Attr.str(e, "url"),
            new LinkedHashSet<>(e.get("events").ss()), secrets,
            e.get("disabled") != null && Boolean.TRUE.equals(e.get("disabled").bool()), Attr.str(e, "disabledReason")));
      }
    }
    return new Partner(Attr.str(item, "partnerId"), Attr.str(item, "name"), roles, regions, endpoints,
        item.get("disabled") != null && Boolean.TRUE.equals(item.get("disabled").bool()));
  }
}
