// swift-tools-version: 6.0
import PackageDescription

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
        // The only layer that touches sockets.
        .target(
            name: "ScanEngine",
            dependencies: [
                "PortgridCore", "Packets", "CPortgridSystem",
                .product(name: "Collections", package: "swift-collections"),
            ]
        ),
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        // nmap-service-probes: parser, PCRE2 patterns, version templates, the built-in fallback set. No I/O.
        .target(name: "ServiceProbes", dependencies: ["CPCRE2"]),
        .systemLibrary(
            name: "CPortgridTLS",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        // -sV: the per-port probing decider, its thin blocking I/O loop (plain and TLS), the connection pool.
        .target(name: "ServiceDetection", dependencies: ["PortgridCore", "ServiceProbes", "CPortgridTLS"]),
        // Pure writers: results in, text out.
        .target(name: "Report", dependencies: ["PortgridCore"]),
        .systemLibrary(
            name: "CNcursesw",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        // The only layer that touches ncurses.
        .target(
            name: "TUI",
            dependencies: [
                "PortgridCore", "ScanEngine", "Report", "CNcursesw",
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
            ]
        ),
        .executableTarget(
            name: "portgrid",
            dependencies: [
                "PortgridCore", "ScanEngine", "Report", "TUI", "ServiceDetection",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "PortgridCoreTests", dependencies: ["PortgridCore"]),
        .testTarget(name: "PacketsTests", dependencies: ["Packets"]),
        .testTarget(name: "ServiceProbesTests", dependencies: ["ServiceProbes"]),
        .testTarget(name: "ServiceDetectionTests", dependencies: ["ServiceDetection", "ServiceProbes", "PortgridCore"]),
        .testTarget(name: "ScanEngineTests", dependencies: ["ScanEngine", "PortgridCore", "Packets"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "PortgridCore"], resources: [.copy("Golden")]),
        // Snapshots are read from the source tree (#filePath) so re-recording writes where git sees it.
        .testTarget(name: "TUITests", dependencies: ["TUI", "PortgridCore", "ScanEngine"], exclude: ["Snapshots"]),
        // Drives the built binary: CLI errors, namespace testbed, tmux end to end.
        .testTarget(name: "IntegrationTests", dependencies: ["PortgridCore", "portgrid"]),
    ],
    swiftLanguageModes: [.v6]
)
