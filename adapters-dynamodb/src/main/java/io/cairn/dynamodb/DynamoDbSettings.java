package io.cairn.dynamodb;

import static java.util.Objects.requireNonNull;

import io.cairn.application.InvalidSettingException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where Cairn's DynamoDB tables are and how to treat them.
 *
 * @param endpoint            the DynamoDB endpoint, e.g. DynamoDB Local's; empty for real AWS, found from the
 *                            region. With an endpoint the clients sign with fixed dummy credentials (DynamoDB Local
 *                            ignores them); without one they use the SDK's default credentials chain. Not used by
 *                            stores on clients the caller brings ({@link #inProcess()}), which know where DynamoDB is.
 * @param region              the AWS region, e.g. {@code eu-west-1}; any valid name for a local endpoint
 * @param tablePrefix         prepended to each table's fixed name ({@link TableNames}): 0-200 characters of
 *                            {@code [A-Za-z0-9_.-]}
 * @param createTables        true: create missing tables at start-up and wait until they are active; false: only
 *                            check that they exist, and fail naming the missing one
 * @param streamsPollInterval how long the DynamoDB Streams channel waits before polling again after a round that
 *                            brought nothing, positive
 */
public record DynamoDbSettings(Optional<URI> endpoint, String region, String tablePrefix, boolean createTables,
                               Duration streamsPollInterval) {

    /** The region a local endpoint is addressed as, when nothing else is said. */
    public static final String LOCAL_REGION = "us-east-1";
    public static final String DEFAULT_TABLE_PREFIX = "cairn-";
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.-]{0,200}");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,50}");

    public DynamoDbSettings {
        requireNonNull(endpoint, "endpoint must not be null");
        requireNonNull(region, "region must not be null");
        requireNonNull(tablePrefix, "tablePrefix must not be null");
        requireNonNull(streamsPollInterval, "streamsPollInterval must not be null");
        endpoint.ifPresent(DynamoDbSettings::checkEndpoint);
        if (!REGION.matcher(region).matches()) {
            throw new InvalidSettingException("region", "must be an AWS region name such as eu-west-1, was '" + region + "'");
        }
        if (!PREFIX.matcher(tablePrefix).matches()) {
            throw new InvalidSettingException("tablePrefix", "must be 0-200 characters of [A-Za-z0-9_.-], was '"
                    + tablePrefix + "'");
        }
        if (streamsPollInterval.isNegative() || streamsPollInterval.isZero()) {
            throw new InvalidSettingException("streamsPollInterval", "must be positive, was " + streamsPollInterval);
        }
    }

    /** A local endpoint such as DynamoDB Local's: default prefix, tables created at start-up. */
    public static DynamoDbSettings local(URI endpoint) {
        return new DynamoDbSettings(Optional.of(requireNonNull(endpoint, "endpoint must not be null")), LOCAL_REGION,
                DEFAULT_TABLE_PREFIX, true, DEFAULT_POLL_INTERVAL);
    }

    /**
     * For stores on clients the caller brings that reach a DynamoDB of its own, such as DynamoDB Local in process
     * ({@link DynamoDbStores#open(DynamoDbSettings, software.amazon.awssdk.services.dynamodb.DynamoDbClient,
     * software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient, Optional)}): no endpoint, default
     * prefix, tables created at start-up.
     */
    public static DynamoDbSettings inProcess() {
        return new DynamoDbSettings(Optional.empty(), LOCAL_REGION, DEFAULT_TABLE_PREFIX, true, DEFAULT_POLL_INTERVAL);
    }

    /** Real DynamoDB in {@code region}: default prefix, tables expected to exist (created by the operator). */
    public static DynamoDbSettings aws(String region) {
        return new DynamoDbSettings(Optional.empty(), region, DEFAULT_TABLE_PREFIX, false, DEFAULT_POLL_INTERVAL);
    }

    public DynamoDbSettings withTablePrefix(String prefix) {
        return new DynamoDbSettings(endpoint, region, prefix, createTables, streamsPollInterval);
    }

    public DynamoDbSettings withCreateTables(boolean create) {
        return new DynamoDbSettings(endpoint, region, tablePrefix, create, streamsPollInterval);
    }

    public DynamoDbSettings withStreamsPollInterval(Duration interval) {
        return new DynamoDbSettings(endpoint, region, tablePrefix, createTables, interval);
    }

    /** The table names these settings address. */
    public TableNames tableNames() {
        return new TableNames(tablePrefix);
    }

    private static void checkEndpoint(URI endpoint) {
        String scheme = endpoint.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || endpoint.getHost() == null) {
            throw new InvalidSettingException("endpoint", "must be an http(s) URI with a host, was '" + endpoint + "'");
        }
    }
}
