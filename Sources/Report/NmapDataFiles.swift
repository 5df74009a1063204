import FoundationEssentials
import PortgridCore

/// The nmap data files a report refers to when nmap is installed: its stylesheet, so
/// `xsltproc scan.xml` renders the XML report as HTML as it does nmap's, and its data directory,
/// which -v names as nmap does ("Read data files from").
public enum NmapDataFiles {
    /// Where Debian's nmap package keeps its data (nmap-services, nmap.xsl, nmap.dtd).
    public static let directory = "/usr/share/nmap"

    /// `file:///usr/share/nmap/nmap.xsl` when that file exists, as nmap writes the link; else nil.
    public static var stylesheet: String? {
        let path = directory + "/nmap.xsl"
        return FileManager.default.fileExists(atPath: path) ? "file://" + path : nil
    }

    /// The directory when the service names were read from its nmap-services, else nil.
    public static var servicesDirectory: String? {
        FileManager.default.fileExists(atPath: ServiceDatabase.nmapServicesPath) ? directory : nil
    }

    /// What every report of a run says about the installed nmap files. `store` decides whether the
    /// MAC vendors are worth reading (about 30,000 lines): only when a host has a MAC address, and
    /// then only its hosts' vendors are kept.
    public static func describe(in context: inout ReportContext, for store: ResultStore? = nil) {
        context.stylesheet = stylesheet
        context.dataDirectory = servicesDirectory
        let macs = store?.macAddresses ?? []
        if !macs.isEmpty { context.macVendors = MACVendors.load(for: macs) }
    }
}
