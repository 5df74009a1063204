import Foundation
import PortgridCore

/// What the nmap-compatibility and exit-path tests need from the machine: the portgrid binary
/// that `swift build` put next to the test bundle, and nmap's own tools when they are installed.
enum NmapCompatTools {
    /// The directory of /proc/self/exe holds the `portgrid` that this test run built.
    static var portgrid: String {
        if let chosen = ProcessInfo.processInfo.environment["PORTGRID_BINARY"], !chosen.isEmpty { return chosen }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("portgrid").path
    }

    static var hasPortgrid: Bool { FileManager.default.isExecutableFile(atPath: portgrid) }

    /// A program on PATH, or nil.
    static func find(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// python3 that can `import libnmap` (pip's python-libnmap).
    static let pythonWithLibnmap: String? = {
        guard let python = find("python3") else { return nil }
        let check = Process()
        check.executableURL = URL(fileURLWithPath: python)
        check.arguments = ["-c", "import libnmap.parser"]
        check.standardOutput = FileHandle.nullDevice
        check.standardError = FileHandle.nullDevice
        guard (try? check.run()) != nil else { return nil }
        check.waitUntilExit()
        return check.terminationStatus == 0 ? python : nil
    }()

    static var hasNmapTools: Bool {
        hasPortgrid && find("nmap") != nil && find("ndiff") != nil && pythonWithLibnmap != nil
    }

    /// nmap's port names (nmap-services), where nmap keeps them.
    static let nmapServices: ServiceNames = {
        for path in ["/usr/share/nmap/nmap-services", "/usr/local/share/nmap/nmap-services"] {
            if let data = FileManager.default.contents(atPath: path) {
                return ServiceNames.parse(servicesFile: String(decoding: data, as: UTF8.self))
            }
        }
        return ServiceNames(tcp: [:], udp: [:])
    }()

    /// Our names without nmap's table: the built-in table over /etc/services.
    static let ourServices: ServiceNames = {
        guard let data = FileManager.default.contents(atPath: "/etc/services") else { return .builtIn }
        return ServiceNames.builtIn.merging(ServiceNames.parse(servicesFile: String(decoding: data, as: UTF8.self)))
    }()

    /// A port no table names, nmap's or ours: both reports must leave it without a service element.
    static func unnamedInBoth(_ port: UInt16) -> Bool {
        nmapServices.name(port: port, proto: .tcp) == nil && ourServices.name(port: port, proto: .tcp) == nil
    }
}
