import Foundation
import XCTest

/// `make install`'s script into a temporary DESTDIR: the files, the man page, the
/// completions, the units, the installed binary finding its data; uninstall removes them.
final class InstallTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatter-install-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    static let installed: Set<String> = [
        "/usr/local/bin/chatter",
        "/usr/local/share/bash-completion/completions/chatter",
        "/usr/local/share/zsh/site-functions/_chatter",
        "/usr/local/share/fish/vendor_completions.d/chatter.fish",
        "/usr/local/share/man/man1/chatter.1",
        "/usr/local/share/chatter/Assets/demo/dataset.json",
        "/usr/local/share/chatter/install-manifest",
        "/usr/local/share/doc/chatter/examples/chatter.env",
        "/usr/local/share/doc/chatter/examples/config.toml",
        "/usr/local/share/doc/chatter/examples/keys.conf",
        "/usr/local/lib/systemd/system/chatter-poll.service",
        "/usr/local/lib/systemd/system/chatter-serve.service",
        "/usr/local/lib/sysusers.d/chatter.conf",
    ]

    func install(destdir: String, prefix: String) throws -> Shell.Result {
        let debug = Chatter.binary.deletingLastPathComponent()
        let tool = ["generate-manual", "generate-manual-tool"].map { debug.appendingPathComponent($0).path }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        let manual = try XCTUnwrap(tool, "no generate-manual beside \(debug.path): run `swift build --product generate-manual`")
        let script = Shell.repository.appendingPathComponent("scripts/install.sh").path
        return try Shell.run(script, [Chatter.binary.path, manual, destdir, prefix])
    }

    func files(under root: URL) -> Set<String> {
        var found: Set<String> = []
        let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = e?.nextObject() as? URL {
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
                found.insert(String(url.resolvingSymlinksInPath().path.dropFirst(root.resolvingSymlinksInPath().path.count)))
            }
        }
        return found
    }

    func testInstallIntoDestdirThenUninstall() throws {
        let destdir = dir.appendingPathComponent("dest")
        let r = try install(destdir: destdir.path, prefix: "/usr/local")
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertEqual(files(under: destdir), Self.installed)
        let manifest = try String(contentsOf: destdir.appendingPathComponent("usr/local/share/chatter/install-manifest"), encoding: .utf8)
        XCTAssertEqual(Set(manifest.split(separator: "\n").map(String.init)), Self.installed)

        // The man page renders, with every subcommand in it.
        let page = destdir.appendingPathComponent("usr/local/share/man/man1/chatter.1").path
        let man = try Shell.run("man", ["-l", page], env: ["MANPAGER": "cat", "MANWIDTH": "80"])
        XCTAssertEqual(man.status, 0, man.output)
        for word in ["NAME", "SYNOPSIS", "chatter", "poll", "serve", "--db"] { XCTAssertTrue(man.output.contains(word), word) }

        // The bash completion parses and registers itself.
        let bash = destdir.appendingPathComponent("usr/local/share/bash-completion/completions/chatter").path
        XCTAssertEqual(try Shell.run("bash", ["-n", bash]).status, 0)
        let sourced = try Shell.run("bash", ["-c", "source '\(bash)' && complete -p chatter"])
        XCTAssertEqual(sourced.status, 0, sourced.output)
        XCTAssertTrue(sourced.output.contains("_chatter chatter"), sourced.output)
        if Shell.has("zsh") {
            let zsh = destdir.appendingPathComponent("usr/local/share/zsh/site-functions/_chatter").path
            XCTAssertEqual(try Shell.run("zsh", ["-n", zsh]).status, 0)
        }
        if Shell.has("fish") {
            let fish = destdir.appendingPathComponent("usr/local/share/fish/vendor_completions.d/chatter.fish").path
            XCTAssertEqual(try Shell.run("fish", ["--no-execute", fish]).status, 0)
        }

        // The units run this prefix's binary.
        let unit = try String(
            contentsOf: destdir.appendingPathComponent("usr/local/lib/systemd/system/chatter-poll.service"), encoding: .utf8)
        XCTAssertTrue(unit.contains("ExecStart=/usr/local/bin/chatter poll"), unit)
        XCTAssertFalse(unit.contains("@BINDIR@"))

        // The installed binary finds its demo data beside itself, not in the source tree.
        let bin = destdir.appendingPathComponent("usr/local/bin/chatter").path
        let demo = try Shell.run(
            bin, ["demo", "--db", dir.appendingPathComponent("demo.sqlite").path], env: ["CHATTER_ASSETS": ""])
        XCTAssertEqual(demo.status, 0, demo.output)

        let u = try Shell.run(Shell.repository.appendingPathComponent("scripts/uninstall.sh").path, [destdir.path, "/usr/local"])
        XCTAssertEqual(u.status, 0, u.output)
        XCTAssertTrue(u.output.contains("removed \(Self.installed.count) files"), u.output)
        XCTAssertEqual(files(under: destdir), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: destdir.appendingPathComponent("usr/local/share/chatter").path))
    }

    func testUnitsAreHardenedAndPassSystemdAnalyzeVerify() throws {
        let prefix = dir.appendingPathComponent("prefix").path
        let r = try install(destdir: "", prefix: prefix)
        XCTAssertEqual(r.status, 0, r.output)
        let units = ["chatter-poll.service", "chatter-serve.service"].map { "\(prefix)/lib/systemd/system/\($0)" }
        for unit in units {
            let text = try String(contentsOfFile: unit, encoding: .utf8)
            for line in [
                "Type=notify", "Restart=on-failure", "ProtectSystem=strict", "ReadWritePaths=/var/lib/chatter",
                "NoNewPrivileges=true", "PrivateTmp=true", "User=chatter", "WatchdogSec=", "ExecStart=\(prefix)/bin/chatter ",
            ] {
                XCTAssertTrue(text.contains(line), "\(unit): \(line)")
            }
        }
        guard Shell.has("systemd-analyze") else { throw XCTSkip("systemd-analyze is not installed") }
        let verify = try Shell.run("systemd-analyze", ["verify"] + units, env: ["MANPATH": "\(prefix)/share/man"])
        XCTAssertEqual(verify.status, 0, verify.output)
        XCTAssertFalse(verify.output.contains("chatter-"), verify.output)
    }
}
