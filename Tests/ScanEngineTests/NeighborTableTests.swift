import PortgridCore
import Testing
@testable import ScanEngine

/// The kernel's ARP table as /proc/net/arp shows it: complete entries give a scanned host's MAC.
struct NeighborTableTests {
    static let table = """
    IP address       HW type     Flags       HW address            Mask     Device
    198.18.0.2       0x1         0x2         3e:38:d5:94:db:d7     *        pgs0
    198.18.0.5       0x1         0x0         00:00:00:00:00:00     *        pgs0
    198.18.0.7       0x1         0x6         02:fc:00:00:00:05     *        pgs0

    """

    @Test("complete entries of scanned hosts give their MAC, upper-case; incomplete ones and others are left out")
    func completeEntriesOfScannedHosts() {
        let hosts = ["198.18.0.2", "198.18.0.5", "198.18.0.9"].map { IPAddress($0)! }
        #expect(NeighborTable.addresses(of: hosts, table: Self.table) == [IPAddress("198.18.0.2")!: "3E:38:D5:94:DB:D7"])
        #expect(NeighborTable.parse(Self.table).map(\.mac) == ["3E:38:D5:94:DB:D7", "02:FC:00:00:00:05"])
        #expect(NeighborTable.addresses(of: hosts, table: nil).isEmpty)
    }
}
