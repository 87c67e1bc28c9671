// swift-tools-version:6.2
import PackageDescription

/// libFuzzer targets for berthd's parsers of untrusted input, one executable per target.
///
/// Not part of the root package (neither `swift build` nor `swift test` nor CI builds it): `run.sh`
/// builds it with libFuzzer and AddressSanitizer and runs each target for a bounded
/// time over the seed corpus in `corpus/<target>/`. The targets reach internal parsers through
/// `@testable import`, so `run.sh` builds with testable imports enabled. See README.md.
let targets: [(name: String, modules: [String], nio: [String])] = [
    ("tar", ["Archive"], []),
    ("http-request", ["EngineAPI"], ["NIOCore", "NIOEmbedded", "NIOHTTP1"]),
    ("container-create", ["EngineAPI", "Messages", "Containers"], ["NIOCore"]),
    ("filters", ["EngineAPI"], []),
    ("passwd-group", ["Containers"], []),
    ("dns-message", ["Networks"], []),
    ("image-manifest", ["Images", "Registry"], []),
    ("dockerfile", ["Dockerfile"], []),
]

let package = Package(
    name: "berth-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "berth", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: targets.map { target in
        .executableTarget(
            name: "fuzz-\(target.name)",
            dependencies: target.modules.map { .product(name: $0, package: "berth") }
                + target.nio.map { .product(name: $0, package: "swift-nio") },
            path: "Sources/\(target.name)")
    },
    swiftLanguageModes: [.v6]
)
