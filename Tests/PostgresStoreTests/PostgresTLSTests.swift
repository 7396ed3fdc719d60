import Foundation
import PostgresStore
import TestSupport
import XCTest

/// `sslmode` against the test server, which offers TLS with a self-signed certificate.
final class PostgresTLSTests: XCTestCase {
    func settings(_ cluster: PostgresTestCluster, _ db: String, host: String = "127.0.0.1", _ mode: PostgresSSLMode, root: String? = nil)
        -> PostgresSettings
    {
        PostgresSettings(
            host: host, port: cluster.port, user: PostgresTestCluster.user, database: db,
            password: PostgresPassword(PostgresTestCluster.password), sslMode: mode, sslRootCert: root)
    }

    /// Whether the server sees an encrypted connection to `db` (asked from another session).
    func encrypted(_ cluster: PostgresTestCluster, _ db: String) throws -> [String] {
        try cluster.psql(
            "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.datname = '\(db)' ORDER BY 1",
            database: "postgres"
        ).split(separator: "\n").map(String.init)
    }

    func testEachModeAgainstAServerOfferingTLS() async throws {
        let cluster = try PostgresTestCluster.shared()
        for (mode, expected) in [(PostgresSSLMode.disable, "f"), (.prefer, "t"), (.require, "t")] {
            let db = try cluster.createDatabase()
            let store = try await PostgresStore.open(settings(cluster, db, mode))
            XCTAssertEqual(try encrypted(cluster, db), [expected], "sslmode=\(mode.rawValue)")
            await store.close()
        }
        // The certificate checked against the server's own as the trusted root, name included.
        let db = try cluster.createDatabase()
        let full = try await PostgresStore.open(settings(cluster, db, host: "localhost", .verifyFull, root: cluster.certificatePath))
        XCTAssertEqual(try encrypted(cluster, db), ["t"])
        await full.close()
        // Without that root the self-signed certificate is refused.
        do {
            _ = try await PostgresStore.open(settings(cluster, try cluster.createDatabase(), host: "localhost", .verifyFull))
            XCTFail("verify-full trusted a self-signed certificate")
        } catch {
            XCTAssertTrue("\(error)".contains("CERTIFICATE_VERIFY_FAILED"), "\(error)")
        }
    }
}
