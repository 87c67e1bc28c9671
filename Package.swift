// swift-tools-version:6.2
import PackageDescription

/// Berth: a Docker-Engine-API daemon built as an actor-per-subsystem supervision tree.
/// One module per child of the tree (see supervision.md); `Messages` holds the typed messages they share.
/// The network child's module is `Networks`: a module named `Network` would be taken by swift-nio's
/// `#if canImport(Network)` checks for Apple's framework.
let subsystems = ["Plugins", "Volumes", "Containers", "GraphDriver", "Images", "Networks", "Restore"]

let grdb = Target.Dependency.product(name: "GRDB", package: "GRDB.swift")
let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")
/// What a subsystem needs beyond the messages, the supervision runtime and its SQLite file.
let extraDependencies: [String: [Target.Dependency]] = [
    "Images": [
        "Archive", "Registry", "Digests", "Dockerfile", crypto, .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
    ],
    "Plugins": [.product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio")],
    "Networks": ["HostCommands", "CNamespaces", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")],
    "Volumes": ["HostCommands"],
    "GraphDriver": ["CMounts"],
    "Containers": [
        "HostCommands", "Archive", "CLibCap", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
    ],
]
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")

/// How the release binary is linked (built as scripts/lib/release-build.sh says): by lld, which places
/// the functions berthd runs in the order of Sources/berthd/link-order.txt (scripts/layout/ makes it),
/// with its relative relocations packed (DT_RELR) and no symbols exported to the dynamic linker. All
/// three shrink the code and tables a running daemon keeps resident.
let releaseLink: [LinkerSetting] = [
    .unsafeFlags([
        "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
        "-Xlinker", "--no-export-dynamic",
        "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/Sources/berthd/link-order.txt",
        "-Xlinker", "--no-warn-symbol-ordering",
    ], .when(configuration: .release)),
]

let package = Package(
    name: "berth",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "berthd", targets: ["berthd"]),
    ] + ["Archive", "Dockerfile", "EngineAPI", "Messages", "Containers", "Networks", "Images", "Registry"].map {
        // For fuzz/ (its own package, never built by this one's build or CI), whose targets reach these parsers.
        .library(name: $0, targets: [$0])
    },
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        // The generic supervision runtime: no container knowledge.
        .target(
            name: "Supervision",
            dependencies: [logging, .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")]),
        // Typed messages, models and the one error type shared by every child.
        .target(name: "Messages", dependencies: ["Supervision"]),
        // Reading and writing tar archives (image tarballs, layers, docker cp), with path-safety checks.
        .target(name: "Archive"),
        // The Dockerfile language of the legacy builder: parser, instructions, substitution, .dockerignore.
        .target(name: "Dockerfile"),
        // sha256 content digests, as containerd, registries and image IDs write them.
        .target(name: "Digests", dependencies: [crypto]),
        .target(name: "CNamespaces"),
        .target(name: "CMounts"),
        // posix_spawn in a new session and pidfds, for the containerd berthd starts and adopts.
        .target(name: "CSpawn"),
        // Where the Swift runtime's global-executor hook lives, for berthd to run Swift concurrency on NIO's loops.
        .target(name: "CExecutorHook"),
        // glibc's malloc arena cap (mallopt), which Swift's Glibc module does not reach.
        .target(name: "CMallocArenas"),
        .target(name: "HostCommands", dependencies: [.product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        // libcap, for capability names (`--cap-add`).
        .systemLibrary(name: "CLibCap", providers: [.apt(["libcap-dev"])]),
        // A Docker Registry HTTP API v2 client (pull, push, login; basic and bearer auth).
        .target(
            name: "Registry",
            dependencies: [
                "Digests",
                crypto, logging,
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // SQLite (GRDB, WAL) helpers every stateful child uses for its own database file.
        .target(name: "StateStore", dependencies: [grdb, .product(name: "GRDBSQLite", package: "GRDB.swift")]),
        // The events history and live subscriptions.
        .target(name: "Events", dependencies: ["Messages", "StateStore", grdb, logging]),
        // Generated containerd API client (scripts/gen-containerd-api.sh).
        .target(
            name: "ContainerdAPI",
            dependencies: [
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .target(
            name: "Containerd",
            dependencies: [
                "Messages", "Supervision", "ContainerdAPI", "Digests", "HostCommands", "CSpawn", logging,
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
                crypto,
            ]
        ),
    ] + subsystems.map { name in
        .target(name: name, dependencies: ["Messages", "Supervision", "StateStore", grdb, logging] + (extraDependencies[name] ?? []))
    } + [
        // The HTTP front: decodes, forwards to a child, encodes. Imports messages, never a subsystem.
        .target(
            name: "EngineAPI",
            dependencies: [
                "Messages", "Supervision", logging,
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // The tree: configuration, child specs in start order, signals, systemd notify, pidfile.
        .target(
            name: "Daemon",
            dependencies: [
                "Supervision", "Messages", "Events", "Containerd", "EngineAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                logging, grdb, "Registry",
            ] + subsystems.map { .target(name: $0) }
        ),
        .executableTarget(
            name: "berthd",
            dependencies: [
                "Daemon", "CExecutorHook", "CMallocArenas", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            exclude: ["link-order.txt"],
            linkerSettings: releaseLink),
        // Fakes of every child's messages and a tree of real children and fakes on the virtual clock,
        // for the test targets only.
        .target(name: "BerthTestSupport", dependencies: ["Messages", "Supervision", logging], path: "Tests/BerthTestSupport"),
        .testTarget(name: "SupervisionTests", dependencies: ["Supervision"]),
        .testTarget(name: "RestoreTests", dependencies: ["Restore", "Messages", "Supervision", "BerthTestSupport"]),
        .testTarget(name: "ArchiveTests", dependencies: ["Archive"], exclude: ["Regressions"]),
        .testTarget(name: "DockerfileTests", dependencies: ["Dockerfile"]),
        .testTarget(name: "DigestsTests", dependencies: ["Digests"]),
        .testTarget(
            name: "ContainerdTests",
            dependencies: ["Containerd", "ContainerdAPI", "Digests", "Messages", "Supervision", .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]),
        .testTarget(name: "ImagesTests", dependencies: ["Images", "Messages", "Dockerfile", "Archive"]),
        .testTarget(
            name: "ContainersTests", dependencies: ["Containers", "Messages", "Archive", "Supervision", "BerthTestSupport"], exclude: ["Regressions"]),
        .testTarget(
            name: "PluginsTests",
            dependencies: [
                "Plugins", "Messages", "Supervision", logging, .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        .testTarget(
            name: "NetworksTests",
            dependencies: ["Networks", "Messages", logging, .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "Digests", logging, .product(name: "AsyncHTTPClient", package: "async-http-client")]),
        .testTarget(
            name: "EngineAPITests",
            dependencies: [
                "EngineAPI", "Messages", "Supervision", logging,
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "DaemonTests", dependencies: ["Daemon", "EngineAPI", "Messages", "Supervision", "Events", grdb, logging]),
    ],
    swiftLanguageModes: [.v6]
)
