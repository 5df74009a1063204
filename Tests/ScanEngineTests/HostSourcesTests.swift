import Testing
@testable import ScanEngine

@Suite struct HostSourcesTests {
    @Test("one source address for every host is kept once, and each host reads it; differing ones are kept a host each")
    func sameSourceIsKeptOnce() {
        let same = HostSources<UInt32>([0xC612_0001, 0xC612_0001, 0xC612_0001])
        #expect((0 ..< 3).map { same[$0] } == [0xC612_0001, 0xC612_0001, 0xC612_0001])
        #expect(MemoryLayout.size(ofValue: same) <= 9, "no array behind a single address")
        let each = HostSources<UInt32>([0xC612_0001, 0xC613_0001, 0])
        #expect((0 ..< 3).map { each[$0] } == [0xC612_0001, 0xC613_0001, 0])
        #expect(HostSources<UInt128>(same: 7)[65_535] == 7)
    }
}
