import Foundation
import PostgresStore
import XCTest

/// `--db` / `CHATTER_DB`: a path or a postgres:// URL completed by libpq's variables;
/// the password never shows.
final class StoreLocationTests: XCTestCase {
    func testAPathIsAnSQLiteStore() throws {
        XCTAssertEqual(try StoreLocation.parse("/tmp/x.sqlite", environment: [:]), .sqlite(path: "/tmp/x.sqlite"))
        XCTAssertEqual(try StoreLocation.parse("rel/dir:odd.sqlite", environment: [:]), .sqlite(path: "rel/dir:odd.sqlite"))
    }

    func testAnotherSchemeIsRefused() {
        XCTAssertThrowsError(try StoreLocation.parse("mysql://u@h/db", environment: [:])) { error in
            XCTAssertTrue("\(error)".contains("mysql://"), "\(error)")
        }
    }

    func testAFullURL() throws {
        let loc = try StoreLocation.parse(
            "postgresql://ann:s%40cret@db.example.org:6543/track?sslmode=verify-full&sslrootcert=/etc/ca.pem",
            environment: ["PGPASSWORD": "other", "PGHOST": "ignored"])
        guard case .postgres(let s) = loc else { return XCTFail("\(loc)") }
        XCTAssertEqual(s.host, "db.example.org")
        XCTAssertEqual(s.port, 6543)
        XCTAssertEqual(s.user, "ann")
        XCTAssertEqual(s.database, "track")
        XCTAssertEqual(s.password?.value, "s@cret", "the URL's password wins over PGPASSWORD")
        XCTAssertEqual(s.sslMode, .verifyFull)
        XCTAssertEqual(s.sslRootCert, "/etc/ca.pem")
    }

    func testTheEnvironmentFillsWhatTheURLLeavesOut() throws {
        let env = [
            "PGHOST": "pg.internal", "PGPORT": "5499", "PGUSER": "bob", "PGDATABASE": "teamdb", "PGPASSWORD": "pw",
            "PGSSLMODE": "require",
        ]
        guard case .postgres(let s) = try StoreLocation.parse("postgres://", environment: env) else { return XCTFail() }
        XCTAssertEqual([s.host, "\(s.port)", s.user, s.database], ["pg.internal", "5499", "bob", "teamdb"])
        XCTAssertEqual(s.password?.value, "pw")
        XCTAssertEqual(s.sslMode, .require)
        guard case .postgres(let d) = try StoreLocation.parse("postgres:///", environment: ["USER": "carol"]) else {
            return XCTFail()
        }
        XCTAssertEqual([d.host, "\(d.port)", d.user, d.database], ["localhost", "5432", "carol", "carol"])
        XCTAssertEqual(d.sslMode, .prefer, "libpq's default")
        XCTAssertNil(d.password)
    }

    func testIPv6HostAndBadInput() throws {
        guard case .postgres(let s) = try StoreLocation.parse("postgres://u@[::1]:7000/d", environment: [:]) else {
            return XCTFail()
        }
        XCTAssertEqual(s.host, "::1")
        XCTAssertEqual(s.port, 7000)
        for bad in [
            "postgres://u@h:99999/d", "postgres://u@h/d?sslmode=sometimes", "postgres://u@h/d?frobnicate=1",
            "postgres://u@h/d%zz",
        ] {
            XCTAssertThrowsError(try StoreLocation.parse(bad, environment: [:]), bad) { error in
                XCTAssertTrue("\(error)".hasPrefix("store location:"), "\(error)")
            }
        }
    }

    /// libpq's password file: first matching line, `*` wildcards, escapes; ignored when others may read it.
    func testPgPassFile() throws {
        let dir = NSTemporaryDirectory() + "pgpass-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/.pgpass"
        try """
        # comment
        other.host:5432:*:ann:wrong
        db.example.org:5432:track:ann:pa\\:ss\\\\word
        *:*:*:ann:fallback
        """.write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o600)
        func password(_ url: String, _ env: [String: String] = [:]) throws -> String? {
            guard case .postgres(let s) = try StoreLocation.parse(url, environment: ["HOME": dir].merging(env) { $1 })
            else { return nil }
            return s.password?.value
        }
        XCTAssertEqual(try password("postgres://ann@db.example.org/track"), "pa:ss\\word")
        XCTAssertEqual(try password("postgres://ann@db.example.org/elsewhere"), "fallback")
        XCTAssertNil(try password("postgres://bob@db.example.org/track"))
        XCTAssertEqual(try password("postgres://ann@db.example.org/track", ["PGPASSWORD": "env"]), "env")
        let moved = dir + "/moved"
        try FileManager.default.moveItem(atPath: file, toPath: moved)
        XCTAssertEqual(try password("postgres://ann@db.example.org/track", ["PGPASSFILE": moved]), "pa:ss\\word")
        chmod(moved, 0o644)
        XCTAssertNil(try password("postgres://ann@db.example.org/track", ["PGPASSFILE": moved]), "a file others may read is ignored")
    }

    /// Printing, interpolating, dumping or reflecting the settings never shows the password.
    func testThePasswordNeverShows() throws {
        let secret = "Zq9-very-secret"
        let loc = try StoreLocation.parse("postgres://ann:\(secret)@h:5/d?sslmode=disable", environment: [:])
        guard case .postgres(let s) = loc else { return XCTFail() }
        var dumped = ""
        dump(loc, to: &dumped)
        let shown = [
            "\(loc)", loc.description, String(describing: loc), String(reflecting: loc), "\(s)", String(reflecting: s),
            "\(String(describing: s.password))", dumped,
        ]
        for text in shown { XCTAssertFalse(text.contains(secret), text) }
        XCTAssertEqual(loc.description, "postgres://ann@h:5/d?sslmode=disable")
    }
}
