import PortgridCore
import Testing
@testable import TUI

@Suite struct QueuedEventSizeTests {
    @Test("a scan event and an app action, queued one per host in a sweep, stay near a host's own 104 bytes")
    func eventsAreSmall() {
        #expect(MemoryLayout<HostResult>.size <= 112)
        #expect(MemoryLayout<ScanEvent>.size <= MemoryLayout<HostResult>.size + 8)
        #expect(MemoryLayout<Action>.size <= MemoryLayout<ScanEvent>.size + 16)
    }
}
