// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "chatter",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "chatter", targets: ["chatter"]),
        .library(name: "TrackingModel", targets: ["TrackingModel"]),
        .library(name: "TrackingStore", targets: ["TrackingStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // NIOHTTPTypes: the HTTP parts the connection deadlines watch (Hummingbird's own dependency).
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        // The counters metrics read without a lock (swift-nio's own dependency).
        .package(url: "https://github.com/apple/swift-atomics.git", from: "1.2.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // X.509 parsing and RSA PKCS#1 v1.5 verification of SNS's signing certificates.
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        // /metrics of serve and poll: swift-metrics' API with the Prometheus text format.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // The PostgreSQL store's client (no hand-written wire protocol).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
    ],
    targets: [
        .target(name: "TrackingModel"),
        .target(
            name: "TrackingStore",
            dependencies: [
                "TrackingModel", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]),
        // The same store on PostgreSQL: its migrations and every statement it runs (no GRDB).
        .target(
            name: "PostgresStore",
            dependencies: [
                "TrackingModel", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
            ]),
        // `chatter store copy`: every table from one store to another, through what each store offers.
        .target(name: "StoreCopy", dependencies: ["TrackingModel"]),
        // zlib, for rotated `.gz` logs (Foundation on Linux cannot inflate).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // MIME, read and written: headers, RFC 2047 / 2231, transfer encodings, multipart, mboxes.
        .target(name: "MailFormat", dependencies: ["TrackingModel"]),
        // The one config.toml reader: a TOML table layer whose errors name the file and line.
        .target(name: "ConfigFile", dependencies: [.product(name: "TOMLKit", package: "TOMLKit")]),
        // One blocking HTTP GET: the Mailgun Events API reader's and the SNS certificate fetcher's.
        .target(name: "HTTPFetch"),
        // The pure parsers of delivery signals: bytes in, parsed events out (no store, no files, no clock).
        .target(name: "DeliverySignals", dependencies: ["TrackingModel", "MailFormat"]),
        // Tailing, readers, the poller, and applying parsed batches to the store.
        .target(
            name: "EventIngest",
            dependencies: [
                "TrackingModel", "TrackingStore", "DeliverySignals", "MailFormat", "HTTPFetch", "ConfigFile", "CZlib",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(name: "TermGrid"),
        .target(
            name: "Outbox",
            dependencies: [
                "TrackingModel", "MailFormat", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]),
        .target(
            name: "PixelServer",
            dependencies: [
                "TrackingModel", "DeliverySignals", "HTTPFetch",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]),
        .target(name: "ChatterUI", dependencies: ["TrackingModel", "TermGrid"]),
        // No pkgConfig: its -D_XOPEN_SOURCE flags are refused by SwiftPM; the shim defines what it needs.
        .systemLibrary(name: "CNCursesW", providers: [.apt(["libncursesw5-dev"])]),
        .target(name: "CTerminalSupport"),
        // The commit `chatter --version` prints (a header written by `make`, absent outside git).
        .target(name: "CBuildInfo"),
        .target(name: "CursesTerminal", dependencies: ["TermGrid", "CNCursesW", "CTerminalSupport"]),
        // The front's runtime: its loop, inbox, effect runner, store watcher, background poller and sender.
        .target(
            name: "ChatterRuntime",
            dependencies: [
                "TrackingModel", "TrackingStore", "TermGrid", "ChatterUI", "CursesTerminal", "CTerminalSupport",
                "EventIngest", "Outbox", "PostgresStore",
            ]),
        // Manual check of the curses backend under tmux (see Sources/curses-probe/main.swift).
        .executableTarget(name: "curses-probe", dependencies: ["CursesTerminal", "TermGrid"]),
        .executableTarget(
            name: "chatter",
            dependencies: [
                "TrackingModel", "TrackingStore", "TermGrid", "ChatterRuntime", "CBuildInfo", "ConfigFile", "DeliverySignals",
                "EventIngest", "Outbox", "PixelServer", "PostgresStore", "StoreCopy",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]),
        .executableTarget(
            name: "chatter-bench",
            dependencies: [
                "TrackingModel", "TrackingStore", "EventIngest", "DeliverySignals", "PostgresStore",
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "TrackingModelTests", dependencies: ["TrackingModel", "TestSupport"]),
        .testTarget(
            name: "TrackingStoreTests",
            dependencies: ["TrackingStore", "TrackingModel", .product(name: "GRDB", package: "GRDB.swift")]),
        // The pure parsers alone: these tests build without EventIngest or the store.
        .testTarget(
            name: "DeliverySignalsTests", dependencies: ["DeliverySignals", "MailFormat", "TrackingModel", "TestSupport"]),
        .testTarget(
            name: "EventIngestTests",
            dependencies: ["EventIngest", "DeliverySignals", "MailFormat", "TrackingModel", "TestSupport"]),
        // What several test targets share: the built `chatter` binary and how to run it, a private
        // Postfix on loopback for the tests that talk to a real one (Outbox, Poller, the end-to-end run),
        // the one seeded random generator of the randomized tests, the scriptable SMTP server on loopback
        // (the sender's tests on both stores), and the fixtures of the parser tests.
        .target(
            name: "TestSupport",
            dependencies: [
                "DeliverySignals", "TrackingModel", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ], path: "Tests/TestSupport"),
        .testTarget(
            name: "PollerTests",
            dependencies: [
                "EventIngest", "DeliverySignals", "MailFormat", "ConfigFile", "TrackingStore", "TrackingModel",
                "TestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["RealPostfix"]),
        .testTarget(name: "TermGridTests", dependencies: ["TermGrid", "TestSupport"]),
        .testTarget(
            name: "ChatterUITests", dependencies: ["ChatterUI", "TermGrid", "TrackingModel"],
            exclude: ["__Snapshots__"]),
        .testTarget(name: "CursesTerminalTests", dependencies: ["CursesTerminal", "CNCursesW", "TermGrid"]),
        .testTarget(name: "ChatterCLITests", dependencies: ["TrackingModel", "TestSupport"]),
        .testTarget(
            name: "OutboxTests",
            dependencies: [
                "Outbox", "EventIngest", "DeliverySignals", "MailFormat", "TrackingStore", "TrackingModel", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(
            name: "PixelServerTests",
            dependencies: [
                "PixelServer", "TrackingStore", "TrackingModel", "DeliverySignals", "MailFormat", "EventIngest",
                "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "X509", package: "swift-certificates"),
            ]),
        // The front's real loop, headless: scripted keys, a real store, a fake clock.
        .testTarget(
            name: "ChatterRuntimeTests",
            dependencies: [
                "ChatterRuntime", "ChatterUI", "TermGrid", "TrackingStore", "TrackingModel", "TestSupport", "PostgresStore",
                "StoreCopy",
            ]),
        // Reads the import lines under Sources/ against the allowed graph.
        .testTarget(name: "ArchitectureTests"),
        // Runs the built `chatter` front under tmux (see Tests/ChatterE2ETests/Tmux.swift).
        .testTarget(name: "ChatterE2ETests", dependencies: ["TrackingStore", "TrackingModel", "TestSupport"]),
        // The PostgreSQL store against a real server the tests start (TestSupport's PostgresTestCluster).
        .testTarget(
            name: "PostgresStoreTests",
            dependencies: [
                "PostgresStore", "TrackingStore", "StoreCopy", "TrackingModel", "TestSupport", "EventIngest", "MailFormat",
                "ChatterRuntime", "ChatterUI",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
    ]
)
