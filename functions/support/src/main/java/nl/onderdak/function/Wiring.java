package nl.onderdak.function;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import nl.onderdak.core.chain.CaseAccess;
import nl.onderdak.core.chain.CaseFiles;
import nl.onderdak.core.chain.Chain;
import nl.onderdak.core.chain.ChainPicture;
import nl.onderdak.core.chain.ChainStore;
import nl.onderdak.core.chain.PartnerWork;
import nl.onderdak.core.chain.RoutingStore;
import nl.onderdak.core.matching.MatchStore;
import nl.onderdak.core.ops.Targets;
import nl.onderdak.core.partners.EndpointPolicy;
import nl.onderdak.core.partners.PartnerStore;
import nl.onderdak.core.partners.DynamoPartnerStore;
import nl.onderdak.core.partners.DynamoWebhookLog;
import nl.onderdak.core.partners.WebhookLog;
import nl.onderdak.core.registration.FormTickets;
import nl.onderdak.core.registration.RegistrationService;
import nl.onderdak.core.storage.CaseStore;
import nl.onderdak.core.storage.Tables;
import nl.onderdak.core.support.Env;
import nl.onderdak.core.tally.RegionTallies;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The one place that builds a function's clients and stores from its environment (the variables
 * {@code template.yaml} gives it). A handler's no-argument constructor, the one Lambda calls, is
 * {@code this(Wiring.fromEnv())} or asks it for the services it needs; its other constructor takes those services,
 * which is how tests build it. Nothing here is built before it is asked for: a function that never reads the
 * partners table never builds its store, and one that needs no client builds none.
 *
 * <p>Clients are lean for cold start: the url-connection HTTP client, credentials and region read straight from
 * Lambda's environment (no provider chain to walk). {@code DYNAMODB_ENDPOINT} and {@code SQS_ENDPOINT}, set only
 * by the local runtime, point them at DynamoDB Local and the local queue engine.
 */
public final class Wiring {
  public static final String DYNAMODB_ENDPOINT = "DYNAMODB_ENDPOINT";
  public static final String SQS_ENDPOINT = "SQS_ENDPOINT";
  public static final String RETENTION_DAYS = "PERSONAL_DATA_RETENTION_DAYS";

  private final Supplier<DynamoDbClient> dynamoSource;
  private final Tables tables;
  private final Clock clock;
  private final Duration retention;
  private DynamoDbClient dynamo;
  private ChainStore chainStore;
  private PartnerStore partners;

  public Wiring(Supplier<DynamoDbClient> dynamo, Tables tables, Clock clock, Duration personalDataRetention) {
    this.dynamoSource = dynamo;
    this.tables = tables;
    this.clock = clock;
    this.retention = personalDataRetention;
  }

  /** For tests: an existing client (DynamoDB Local's), the system clock unless given. */
  public static Wiring of(DynamoDbClient dynamo, Tables tables, Clock clock) {
    return new Wiring(() -> dynamo, tables, clock, Duration.ofDays(Env.integer(RETENTION_DAYS, 365)));
  }

  /** What Lambda builds at init: read in the handler's constructor, so the local runtime's per-function variables apply. */
  public static Wiring fromEnv() {
    return new Wiring(() -> client(DynamoDbClient.builder(), DYNAMODB_ENDPOINT), Tables.fromEnv(), ScaledClock.fromEnv(),
        Duration.ofDays(Env.integer(RETENTION_DAYS, 365)));
  }

  /**
   * Any AWS client, built the one way: url-connection HTTP, the function's region, Lambda's credentials; or, when
   * {@code endpointVariable} is set (locally), that endpoint with fixed local credentials.
   */
  /** Set by the local runtime: the function's logical id, so that its calls are checked against its policies. */
  public static final String LOCAL_FUNCTION = "ONDERDAK_LOCAL_FUNCTION";
  /** Which function a client's calls are made for (the local runtime's IAM check reads it). */
  public static final software.amazon.awssdk.core.interceptor.ExecutionAttribute<String> FUNCTION =
      new software.amazon.awssdk.core.interceptor.ExecutionAttribute<>("OnderdakFunction");

  public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder,
      String endpointVariable) {
    String endpoint = Env.get(endpointVariable);
    String region = Env.get("AWS_REGION");
    builder.httpClient(UrlConnectionHttpClient.create())
        .region(Region.of(region == null || region.isBlank() ? "eu-west-1" : region));
    if (endpoint != null && !endpoint.isBlank()) {
      builder.endpointOverride(URI.create(endpoint))
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
      String function = Env.get(LOCAL_FUNCTION);
      if (function != null) {
        // The local runtime holds each call to the function's policies in the template, as IAM would.
        builder.overrideConfiguration(c -> c.putExecutionAttribute(FUNCTION, function));
      }
    } else {
      builder.credentialsProvider(EnvironmentVariableCredentialsProvider.create());
    }
    return builder.build();
  }

  public synchronized DynamoDbClient dynamo() {
    if (dynamo == null) {
      dynamo = dynamoSource.get();
    }
    return dynamo;
  }

  public Tables tables() {
    return tables;
  }

  public Clock clock() {
    return clock;
  }

  /** How long personal data is kept ({@code PERSONAL_DATA_RETENTION_DAYS}). */
  public Duration retention() {
    return retention;
  }

  public synchronized ChainStore chainStore() {
    if (chainStore == null) {
      chainStore = new ChainStore(dynamo(), tables, retention);
    }
    return chainStore;
  }

  public Chain chain() {
    return new Chain(chainStore(), clock, Env.integer("MINIMUM_STAY_DAYS", Chain.DEFAULT_MINIMUM_STAY_DAYS));
  }

  public CaseAccess access() {
    return new CaseAccess(chainStore());
  }

  public CaseFiles caseFiles() {
    return new CaseFiles(dynamo(), tables, retention);
  }

  public PartnerWork partnerWork() {
    return new PartnerWork(dynamo(), tables.cases());
  }

  public synchronized PartnerStore partners() {
    if (partners == null) {
      partners = new DynamoPartnerStore(dynamo(), tables.partners());
    }
    return partners;
  }

  public WebhookLog webhookLog() {
    return new DynamoWebhookLog(dynamo(), tables.partners());
  }

  public RoutingStore routing() {
    return new RoutingStore(dynamo(), tables.partners());
  }

  public RegionTallies tallies() {
    return new RegionTallies(dynamo(), tables);
  }

  public MatchStore matchStore() {
    return new MatchStore(dynamo(), tables);
  }

  public Targets targets() {
    return new Targets(dynamo(), tables.regionStats());
  }

  /** The durable record of operators' requests. */
  public nl.onderdak.core.ops.OperatorAudit operatorAudit() {
    return new nl.onderdak.core.ops.OperatorAudit(dynamo(), tables.audit(), clock);
  }

  /** Sets the end of a case's personal data when the case ends (the retention period counts from there). */
  public nl.onderdak.core.privacy.Retention retentionClock() {
    return new nl.onderdak.core.privacy.Retention(dynamo(), tables, retention);
  }

  public ChainPicture chainPicture() {
    return new ChainPicture(dynamo(), tables.cases(), tallies());
  }

  /**
   * Registrations, each assigned at once to the organisations responsible for it: the registration reads the routing
   * (one item of the partners table, the only one it may read) in the transaction that stores the case.
   */
  public RegistrationService registrations() {
    return new RegistrationService(new CaseStore(dynamo(), tables), clock, retention, routing()::read, formTickets());
  }

  /** How long the public form must have been open before it is sent ({@code FORM_MIN_FILL_SECONDS}, default 3). */
  public static final String FORM_MIN_FILL = "FORM_MIN_FILL_SECONDS";

  /** The public form's tickets (on the idempotency table). */
  public FormTickets formTickets() {
    // A person's seconds at the form are wall-clock seconds, whatever clock the chain reads.
    return new FormTickets(dynamo(), tables, Clock.systemUTC(), Duration.ofSeconds(Env.integer(FORM_MIN_FILL, 3)));
  }

  /** Which webhook addresses are allowed (the template's endpoint policy variables). */
  public EndpointPolicy endpointPolicy() {
    return EndpointPolicy.fromEnv();
  }

  public String require(String variable) {
    return Env.require(variable);
  }

  public String get(String variable) {
    return Env.get(variable);
  }

  public int integer(String variable, int fallback) {
    return Env.integer(variable, fallback);
  }
}
