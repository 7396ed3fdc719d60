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
    ],
    targets: [
        .target(name: "TrackingModel"),
        .target(
            name: "TrackingStore",
            dependencies: ["TrackingModel", .product(name: "GRDB", package: "GRDB.swift")]),
        // zlib, for rotated `.gz` logs (Foundation on Linux cannot inflate).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "EventIngest", dependencies: ["TrackingModel", "CZlib"]),
        .executableTarget(
            name: "chatter",
            dependencies: [
                "TrackingModel", "TrackingStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: []),
        .testTarget(name: "TrackingModelTests", dependencies: ["TrackingModel"]),
        .testTarget(name: "TrackingStoreTests", dependencies: ["TrackingStore", "TrackingModel"]),
        .testTarget(name: "EventIngestTests", dependencies: ["EventIngest", "TrackingModel"]),
        .testTarget(name: "ChatterCLITests", dependencies: ["TrackingModel"]),
    ]
)
