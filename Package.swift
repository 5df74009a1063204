// swift-tools-version: 6.0
import PackageDescription

// The release binary links the Swift runtime and Foundation in rather than mapping a dozen shared
// libraries: it starts and scans in about 4-5 MB less memory (README, Benchmarks). The modules that
// import Foundation are compiled for it too, so they name the static libraries Foundation needs
// (ICU among them). Release only: debug builds and the test bundle keep the shared runtime that
// XCTest and Swift Testing use.
let staticStdlibInRelease: [SwiftSetting] = [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))]

// With the runtime linked in, the position-independent executable carries about 80,000 relative
// relocations: 2 MB of RELA entries the loader reads at every start, resident for the whole run.
// lld (shipped with the Swift toolchain) packs them as RELR, a few KB; ASLR stays. Release only.
let packedRelocations = ["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-export-dynamic"]

let package = Package(
    name: "portgrid",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "portgrid", targets: ["portgrid"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-async-algorithms", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
    ],
    targets: [
        // Pure model: targets, ports, techniques, states, timing, results. No I/O.
        .target(name: "PortgridCore"),
        // Pure packet codec: bytes in, values out.
        .target(name: "Packets"),
        .target(name: "CPortgridSystem"),
        // Threads of the system's own (pthreads) and a condition lock, for the loops that block.
        .target(name: "Threads", dependencies: ["CPortgridSystem"]),
        // The only layer that touches sockets.
        .target(
            name: "ScanEngine",
            dependencies: [
                "PortgridCore", "Packets", "CPortgridSystem", "Threads",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: staticStdlibInRelease
        ),
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        // nmap-service-probes: parser, PCRE2 patterns, version templates, the built-in fallback set. No I/O.
        .target(name: "ServiceProbes", dependencies: ["CPCRE2"]),
        // OpenSSL for -sV's TLS, loaded with dlopen on first use (its headers from libssl-dev).
        .target(name: "CPortgridTLS"),
        // -sV: the per-port probing decider, its thin blocking I/O loop (plain and TLS), the connection pool.
        .target(name: "ServiceDetection", dependencies: ["PortgridCore", "ServiceProbes", "CPortgridTLS", "Threads"]),
        // Pure writers: results in, text out.
        .target(name: "Report", dependencies: ["PortgridCore", "Threads"], swiftSettings: staticStdlibInRelease),
        .systemLibrary(
            name: "CNcursesw",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        // The only layer that touches ncurses.
        .target(
            name: "TUI",
            dependencies: [
                "PortgridCore", "ScanEngine", "Report", "CNcursesw", "Threads",
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
            ],
            swiftSettings: staticStdlibInRelease
        ),
        .executableTarget(
            name: "portgrid",
            dependencies: [
                "PortgridCore", "ScanEngine", "Report", "TUI", "ServiceDetection", "ServiceProbes", "Threads",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: staticStdlibInRelease,
            linkerSettings: [.unsafeFlags(["-static-stdlib"] + packedRelocations, .when(configuration: .release))]
        ),
        .testTarget(name: "PortgridCoreTests", dependencies: ["PortgridCore"]),
        .testTarget(name: "PacketsTests", dependencies: ["Packets"]),
        .testTarget(name: "ServiceProbesTests", dependencies: ["ServiceProbes"]),
        .testTarget(name: "ServiceDetectionTests", dependencies: ["ServiceDetection", "ServiceProbes", "PortgridCore"]),
        .testTarget(name: "ScanEngineTests", dependencies: ["ScanEngine", "PortgridCore", "Packets", "Threads"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "PortgridCore"], resources: [.copy("Golden")]),
        // Snapshots are read from the source tree (#filePath) so re-recording writes where git sees it.
        .testTarget(name: "TUITests", dependencies: ["TUI", "PortgridCore", "ScanEngine", "Report"], exclude: ["Snapshots"]),
        // Drives the built binary: CLI errors, namespace testbed, tmux end to end.
        .testTarget(name: "IntegrationTests", dependencies: ["PortgridCore", "portgrid"]),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer targets (README, "Fuzzing"). They link only under -sanitize=fuzzer (their main starts
// libFuzzer's driver), so they are declared only when PORTGRID_FUZZ=1: the normal build, the tests
// and CI never see them.
if Context.environment["PORTGRID_FUZZ"] == "1" {
    package.targets += [
        .target(name: "FuzzDriver", path: "Fuzz/FuzzDriver"),
        .executableTarget(name: "PacketsFuzz", dependencies: ["Packets", "FuzzDriver"], path: "Fuzz/PacketsFuzz"),
        .executableTarget(name: "SpecsFuzz", dependencies: ["PortgridCore", "FuzzDriver"], path: "Fuzz/SpecsFuzz"),
    ]
}
