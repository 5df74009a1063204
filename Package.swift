// swift-tools-version: 6.0
import PackageDescription

// The release binary links the Swift runtime in rather than mapping its shared libraries: it starts
// and scans in less memory (README, Benchmarks). Release only: debug builds and the test bundle keep
// the shared runtime that XCTest and Swift Testing use.
let staticStdlibInRelease: [SwiftSetting] = [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))]

// With the runtime linked in, the position-independent executable carries about 80,000 relative
// relocations: 2 MB of RELA entries the loader reads at every start, resident for the whole run.
// lld (shipped with the Swift toolchain) packs them as RELR, a few KB; ASLR stays. Release only.
let packedRelocations = ["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-export-dynamic"]

// The C libraries are linked in too, from their static archives: Sources/portgrid/Link holds linker
// scripts named like the shared libraries (libstdc++.so, libncursesw.so, libtinfo.so, libpcre2-8.so)
// that send each -l to its archive, and the release link searches that folder first. Only the code
// the scanner calls is linked in; each shared library mapped its symbol tables and relocations at
// every start, 1 MB for libstdc++ alone, though only the TUI needs ncurses and only -sV PCRE2. (glibc's
// libm stays shared: its archive needs glibc's private symbols.) The two system-library targets name
// no pkg-config file for the same reason: its -L/usr/lib/x86_64-linux-gnu would come first.
let staticCLibraries = ["-L", "\(Context.packageDirectory)/Sources/portgrid/Link"]

// A page of the executable's text is resident once any byte of it runs, and the kernel maps the
// cached pages around each fault too: with the functions in source order, a `--help` kept 5.8 MB of a
// 12.9 MB text resident to run 0.6 MB of it. Release code is compiled one function to a section (as
// the runtime's C++ and specialized code already is; its core Swift code is one 1.6 MB section), and
// lld places the functions the everyday runs execute first, in the order of
// Sources/portgrid/hot-functions.order (made by Benchmarks/make-hot-functions.sh). A name the code no
// longer has is skipped, not an error. SwiftPM does not recompile for a changed flag alone: after
// changing these, remove the release objects (.build/release/*.build/*.o).
let functionSections: [SwiftSetting] = [.unsafeFlags(["-Xfrontend", "-function-sections"], .when(configuration: .release))]
let cFunctionSections: [CSetting] = [.unsafeFlags(["-ffunction-sections"], .when(configuration: .release))]
let hotFunctionsFirst = [
    "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/Sources/portgrid/hot-functions.order",
    "-Xlinker", "--no-warn-symbol-ordering",
]

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
        .target(name: "PortgridCore", swiftSettings: functionSections),
        // Pure packet codec: bytes in, values out.
        .target(name: "Packets", swiftSettings: functionSections),
        .target(name: "CPortgridSystem", cSettings: cFunctionSections),
        // Threads of the system's own (pthreads) and a condition lock, for the loops that block.
        .target(name: "Threads", dependencies: ["CPortgridSystem"], swiftSettings: functionSections),
        // The only layer that touches sockets.
        .target(
            name: "ScanEngine",
            dependencies: [
                "PortgridCore", "Packets", "CPortgridSystem", "Threads",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: staticStdlibInRelease + functionSections
        ),
        // PCRE2 from Debian's libpcre2-dev (headers, libpcre2-8.so for debug builds, the archive for release).
        .systemLibrary(name: "CPCRE2"),
        // nmap-service-probes: parser, PCRE2 patterns, version templates, the built-in fallback set. No I/O.
        .target(name: "ServiceProbes", dependencies: ["CPCRE2"], swiftSettings: functionSections),
        // OpenSSL for -sV's TLS, loaded with dlopen on first use (its headers from libssl-dev).
        .target(name: "CPortgridTLS", cSettings: cFunctionSections),
        // -sV: the per-port probing decider, its thin blocking I/O loop (plain and TLS), the connection pool.
        .target(
            name: "ServiceDetection", dependencies: ["PortgridCore", "ServiceProbes", "CPortgridTLS", "Threads"],
            swiftSettings: functionSections
        ),
        // Pure writers: results in, text out.
        .target(name: "Report", dependencies: ["PortgridCore", "Threads"], swiftSettings: staticStdlibInRelease + functionSections),
        // ncursesw from Debian's libncurses-dev (likewise).
        .systemLibrary(name: "CNcursesw"),
        // The only layer that touches ncurses.
        .target(
            name: "TUI",
            dependencies: [
                "PortgridCore", "ScanEngine", "Report", "CNcursesw", "Threads",
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
            ],
            swiftSettings: staticStdlibInRelease + functionSections
        ),
        .executableTarget(
            name: "portgrid",
            dependencies: [
                "PortgridCore", "ScanEngine", "Report", "TUI", "ServiceDetection", "ServiceProbes", "Threads",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["hot-functions.order", "Link"],
            swiftSettings: staticStdlibInRelease + functionSections,
            linkerSettings: [.unsafeFlags(["-static-stdlib"] + packedRelocations + staticCLibraries + hotFunctionsFirst, .when(configuration: .release))]
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
