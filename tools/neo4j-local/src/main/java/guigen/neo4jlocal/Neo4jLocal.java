package guigen.neo4jlocal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Embedded Neo4j Community (5.26) with a Bolt connector on 127.0.0.1, for local
 * development and tests.
 *
 * <p>Usage (after {@code mvn -q -B -DskipTests package dependency:copy-dependencies}):
 * {@code java -cp 'target/classes:target/lib/*' guigen.neo4jlocal.Neo4jLocal [--train] [DIR]}
 *
 * <ul>
 *   <li>DIR (or env NEO4J_LOCAL_DIR): Neo4j home/data directory; default a fresh temp dir under
 *       ./target/, deleted again on shutdown.
 *   <li>--train: start (ephemeral port), run some Cypher, shut down and exit; used to record a
 *       class-data-sharing archive of the classes Neo4j loads.
 *   <li>NEO4J_LOCAL_PORT: Bolt port, default 7687.
 *   <li>NEO4J_LOCAL_PASSWORD: if set, auth is enabled and user {@code neo4j} gets this password;
 *       otherwise auth is disabled.
 * </ul>
 *
 * <p>Stdout carries exactly two lines from this program: {@code neo4j-local ready
 * bolt://127.0.0.1:PORT} once Bolt answers a handshake, and {@code neo4j-local stopped ...} on
 * shutdown (SIGTERM/SIGINT). Everything else goes to stderr.
 */
public final class Neo4jLocal {
    private static final String HOST = "127.0.0.1";

    private Neo4jLocal() {}

    public static void main(String[] args) throws Exception {
        // Keep stdout for our own protocol lines; anything Neo4j or its libraries print goes to stderr.
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, "UTF-8");
        System.setOut(System.err);

        boolean train = args.length > 0 && args[0].equals("--train");
        if (train) {
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
        }
        // A training run binds an ephemeral port so it never clashes with a running instance.
        int port = train ? 0 : parsePort(env("NEO4J_LOCAL_PORT", "7687"));
        String password = System.getenv("NEO4J_LOCAL_PASSWORD");
        boolean auth = password != null && !password.isEmpty();

        Path home;
        boolean tempHome = false;
        if (args.length > 0 && !args[0].isBlank()) {
            home = Path.of(args[0]);
        } else if (System.getenv("NEO4J_LOCAL_DIR") != null && !System.getenv("NEO4J_LOCAL_DIR").isBlank()) {
            home = Path.of(System.getenv("NEO4J_LOCAL_DIR"));
        } else {
            Path target = Path.of("target");
            Files.createDirectories(target);
            home = Files.createTempDirectory(target, "neo4j-local-");
            tempHome = true;
        }
        home = home.toAbsolutePath().normalize();
        Files.createDirectories(home);

        if (!train && !portFree(port)) {
            System.err.println("neo4j-local: port " + HOST + ":" + port + " is already in use");
            System.exit(2);
        }

        long t0 = System.nanoTime();
        SocketAddress bolt = new SocketAddress(HOST, port);
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                // Network: Bolt only, loopback only, advertised as 127.0.0.1 so neo4j:// routing
                // tables point back at this same listener.
                .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(HOST))
                .setConfig(GraphDatabaseSettings.default_advertised_address, new SocketAddress(HOST))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, bolt)
                .setConfig(BoltConnector.advertised_address, bolt)
                // Bolt shutdown grace periods (default up to 5 min each) made every stop take >10 s,
                // even with no client connected.
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofMillis(500))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofMillis(500))
                // Open transactions (e.g. a test that never closed its session) are waited for
                // 10 s by default before a stop proceeds.
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(1))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                // Server-side routing not needed: drivers using neo4j:// get a routing table
                // (client-side routing) naming the advertised Bolt address. Keeping it off
                // avoids binding the extra routing port (7688).
                .setConfig(GraphDatabaseSettings.routing_enabled, false)
                // Auth.
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                .setConfig(GraphDatabaseSettings.auth_minimum_password_length, 1)
                // No usage-data reporting / phoning home.
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseInternalSettings.udc_network_enabled, false)
                // Modest memory and disk.
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(256))
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, ByteUnit.mebiBytes(384))
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(16))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Path deleteOnStop = tempHome ? home : null;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long s0 = System.nanoTime();
            try {
                dbms.shutdown();
                if (deleteOnStop != null) {
                    deleteTree(deleteOnStop);
                }
                out.println("neo4j-local stopped (" + ms(s0) + " ms)");
            } catch (Throwable t) {
                out.println("neo4j-local stopped with error: " + t);
            } finally {
                out.flush();
                stopped.countDown();
            }
        }, "neo4j-local-shutdown"));

        try {
            GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            if (!db.isAvailable(Duration.ofMinutes(2).toMillis())) {
                throw new IllegalStateException("default database did not become available");
            }
            if (auth) {
                setPassword(dbms, password);
            }
            if (!train) {
                waitForBolt(port, Duration.ofMinutes(2));
            }
        } catch (Throwable t) {
            System.err.println("neo4j-local: startup failed: " + t);
            t.printStackTrace(System.err);
            System.exit(1); // runs the shutdown hook
        }

        if (train) {
            // Class-loading training run (used to build a CDS archive): exercise Cypher, then exit.
            train(dbms);
            System.err.println("neo4j-local: training run done in " + ms(t0) + " ms");
            System.exit(0);
        }

        System.err.println("neo4j-local: home " + home + ", auth " + (auth ? "on" : "off")
                + ", started in " + ms(t0) + " ms");
        out.println("neo4j-local ready bolt://" + HOST + ":" + port);
        out.flush();

        stopped.await(); // until SIGTERM/SIGINT runs the shutdown hook
    }

    /** Runs representative queries so their classes get loaded (and archived by CDS). */
    private static void train(DatabaseManagementService dbms) {
        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        db.executeTransactionally(
                "CREATE CONSTRAINT train_id IF NOT EXISTS FOR (n:Train) REQUIRE n.id IS UNIQUE");
        db.executeTransactionally("CREATE INDEX train_name IF NOT EXISTS FOR (n:Train) ON (n.name)");
        db.executeTransactionally("CALL db.awaitIndexes(60)");
        db.executeTransactionally(
                "UNWIND range(1, 200) AS i MERGE (a:Train {id: i}) SET a.name = 'n' + i, a.tags = ['x', 'y']"
                        + " WITH a, i WHERE i > 1 MATCH (b:Train {id: i - 1}) MERGE (b)-[r:NEXT {w: i}]->(a)");
        db.executeTransactionally(
                "MATCH (a:Train)-[r:NEXT]->(b) WHERE a.name STARTS WITH $p "
                        + "RETURN a.id AS id, count(b) AS c, collect(b.name)[0..3] AS names ORDER BY id LIMIT 10",
                Map.of("p", "n1"),
                r -> {
                    r.forEachRemaining(row -> { });
                    return null;
                });
        db.executeTransactionally(
                "MATCH p = shortestPath((a:Train {id: 1})-[:NEXT*..300]->(b:Train {id: 200})) RETURN length(p)");
        db.executeTransactionally("OPTIONAL MATCH (n:Train) DETACH DELETE n");
        db.executeTransactionally("SHOW CONSTRAINTS YIELD name RETURN name");
        db.executeTransactionally("DROP CONSTRAINT train_id IF EXISTS");
        db.executeTransactionally("DROP INDEX train_name IF EXISTS");
        dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally("SHOW USERS");
    }

    /** Sets the built-in user's password via the system database (embedded calls bypass auth). */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (RuntimeException e) {
            // Same as the current password (e.g. "neo4j", or a kept data dir): just clear the
            // change-required flag.
            String msg = String.valueOf(e.getMessage());
            if (!msg.contains("cannot be the same")) {
                throw e;
            }
            system.executeTransactionally("ALTER USER neo4j SET PASSWORD CHANGE NOT REQUIRED");
        }
    }

    /** Waits until the Bolt port completes a Bolt handshake (agrees on a protocol version). */
    private static void waitForBolt(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 1000);
                s.setSoTimeout(2000);
                OutputStream os = s.getOutputStream();
                // Magic preamble + four proposals: 5.0-5.8 (range), 4.4-4.1 (range), none, none.
                os.write(new byte[] {
                    0x60, 0x60, (byte) 0xB0, 0x17,
                    0, 8, 8, 5,
                    0, 3, 4, 4,
                    0, 0, 0, 0,
                    0, 0, 0, 0,
                });
                os.flush();
                InputStream is = s.getInputStream();
                byte[] resp = is.readNBytes(4);
                if (resp.length == 4 && (resp[2] != 0 || resp[3] != 0)) {
                    return;
                }
                last = new IOException("unexpected handshake reply of " + resp.length + " bytes");
            } catch (IOException e) {
                last = e;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new IllegalStateException("Bolt did not answer on " + HOST + ":" + port, last);
    }

    private static void deleteTree(Path root) throws IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static boolean portFree(int port) {
        try (java.net.ServerSocket ss = new java.net.ServerSocket()) {
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(HOST, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int parsePort(String s) {
        try {
            int p = Integer.parseInt(s.trim());
            if (p > 0 && p < 65536) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        System.err.println("neo4j-local: invalid NEO4J_LOCAL_PORT: " + s);
        System.exit(2);
        return -1;
    }

    private static String env(String name, String def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : v;
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
