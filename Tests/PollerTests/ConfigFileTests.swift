import ConfigFile
import XCTest

/// The one config.toml reader: every section is read through it, and each refusal names the file,
/// the line and the section.
final class ConfigFileTests: XCTestCase {
    private func refusal(_ text: String, _ read: (ConfigFile) throws(ConfigError) -> Void) -> String? {
        do {
            try read(try ConfigFile(text: text, path: "c.toml"))
            return nil
        } catch {
            return error.description
        }
    }

    func testSectionsAreReadWithTheirTypes() throws {
        let file = try ConfigFile(
            text: "[smtp]\nhost = \"mx\"\nport = 587\npixel = true\n\n[[source]]\npath = \"/a\"\n[[source]]\npath = [\"/b\"]\n",
            path: "c.toml")
        let smtp = try XCTUnwrap(try file.table("smtp"))
        XCTAssertEqual(Set(smtp.keys), ["host", "port", "pixel"])
        XCTAssertEqual(try smtp.text("port"), "587")
        XCTAssertEqual(try smtp.text("pixel"), "true")
        XCTAssertEqual(try smtp.int("port"), 587)
        XCTAssertNil(try file.table("serve"), "no section: no settings")
        let sources = try file.tables("source")
        XCTAssertEqual(try sources.map { try $0.strings("path") }, [["/a"], ["/b"]])
        XCTAssertNil(try ConfigFile.load(path: "/nonexistent/chatter/config.toml"), "no file: no settings")
    }

    func testRefusalsNameFileLineAndSection() {
        XCTAssertEqual(
            refusal("[serve]\n\nses_auto_confirm = \"yes\"\n") { f throws(ConfigError) in _ = try f.table("serve")?.bool("ses_auto_confirm") },
            "c.toml:3: [serve]: ses_auto_confirm must be true or false")
        XCTAssertEqual(
            refusal("[gc]\nkeep = \"1d\"\nspeed = 1\n") { f throws(ConfigError) in try f.table("gc")?.checkKeys(["keep", "every"]) },
            "c.toml:3: [gc]: unknown setting speed (known: every, keep)")
        XCTAssertEqual(
            refusal("smtp = 5\n") { f throws(ConfigError) in _ = try f.table("smtp") }, "c.toml:1: smtp must be a table")
        XCTAssertEqual(
            refusal("[[source]]\npath = \"/a\"\n[[source]]\nbatch_size = \"ten\"\n") { f throws(ConfigError) in
                _ = try f.tables("source").map { s throws(ConfigError) in try s.int("batch_size") }
            },
            "c.toml:4: source 2: batch_size must be an integer")
        XCTAssertEqual(
            refusal("[smtp]\nhost = [1, 2]\n") { f throws(ConfigError) in _ = try f.table("smtp")?.text("host") },
            "c.toml:2: [smtp]: host must be a string, a number or true/false")
        let syntax = refusal("[smtp]\nhost = \n") { _ throws(ConfigError) in }
        XCTAssertTrue(syntax?.hasPrefix("c.toml:2: ") == true, syntax ?? "accepted")
    }
}
