import PortgridCore
import Testing

@Suite("the evasion flags' values")
struct PacketOptionsTests {
    @Test("-S of one family names the first resolved target of the other; none without -S or when all match")
    func sourceFamily() {
        let v4 = IPAddress("198.18.0.2")!, v6 = IPAddress("2001:2::2")!
        #expect(PacketOptions().hostOfOtherFamily([v4, v6]) == nil)
        #expect(PacketOptions(sourceAddress: IPAddress("198.18.0.9")).hostOfOtherFamily([v4, v6]) == v6)
        #expect(PacketOptions(sourceAddress: IPAddress("2001:2::9")).hostOfOtherFamily([v6, v4]) == v4)
        #expect(PacketOptions(sourceAddress: IPAddress("2001:2::9")).hostOfOtherFamily([v6]) == nil)
        #expect(PacketOptions.standard.isStandard && !PacketOptions(ttl: 64).isStandard)
    }
}
