@testable import PortgridCore
import Synchronization
import Testing
@testable import ScanEngine

@Suite struct EventSinkTests {
    func result(_ port: UInt16) -> PortResult {
        PortResult(host: IPAddress("127.0.0.1")!, proto: .tcp, port: port, state: .closed, reason: .connRefused,
                   technique: .connect)
    }

    func drain(_ stream: AsyncStream<ScanEvent>) async -> [ScanEvent] {
        var events: [ScanEvent] = []
        for await event in stream { events.append(event) }
        return events
    }

    func summary() -> ScanSummary { ScanSummary(outcome: .completed, elapsed: .zero, probesSent: 0) }

    @Test func batchesAtMaxBatch() async {
        let (stream, continuation) = AsyncStream.makeStream(of: ScanEvent.self, bufferingPolicy: .unbounded)
        let sink = EventSink(continuation, maxBatch: 4, interval: .seconds(60))
        for port in UInt16(1)...10 { sink.result(result(port)) }
        sink.finish(summary())
        let batches = await drain(stream).compactMap { if case .results(let b) = $0 { b.count } else { nil } }
        #expect(batches == [4, 4, 2])
    }

    @Test("a batch far bigger than maxBatch, made lazily, goes on in events of maxBatch, in order, every result counted")
    func aBigBatchGoesOnInPieces() async {
        let (stream, continuation) = AsyncStream.makeStream(of: ScanEvent.self, bufferingPolicy: .unbounded)
        let sink = EventSink(continuation, maxBatch: 4, interval: .seconds(60))
        sink.result(result(1))
        // A dead host's silent ports, as the raw engine hands them on: made only as the sink takes them.
        let made = Mutex(0)
        sink.results((UInt16(2)...12).lazy.map { port in
            made.withLock { $0 += 1 }
            return self.result(port)
        })
        #expect(made.withLock { $0 } == 11, "each result made once")
        #expect(sink.completedCount == 12)
        sink.finish(summary())
        let batches = await drain(stream).compactMap { if case .results(let b) = $0 { b } else { nil } }
        #expect(batches.map(\.count) == [4, 4, 4])
        #expect(batches.joined().map(\.port) == Array(1...12))
        #expect(batches.allSatisfy { $0.keepsHostsAndPortsOnly }, "alike results travel as their hosts and ports")
    }

    @Test("hosts found down reach the stream in batches, before any later event, none lost")
    func hostsFoundDownComeInBatches() async {
        let (stream, continuation) = AsyncStream.makeStream(of: ScanEvent.self, bufferingPolicy: .unbounded)
        let sink = EventSink(continuation, maxBatch: 4, interval: .seconds(60))
        let addresses = (1...10).map { IPAddress("198.18.0.\($0)")! }
        for address in addresses { sink.hostDown(address) }
        sink.send(.notice(Notice(.info, "after")))
        sink.finish(summary())
        let events = await drain(stream)
        let batches = events.compactMap { if case .hostsDown(let down) = $0 { down.addresses } else { nil } }
        #expect(batches.map(\.count) == [4, 4, 2])
        #expect(batches.flatMap { $0 } == addresses)
        guard events.count == 5 else { Issue.record("three batches, the notice, the end: \(events.count)"); return }
        if case .notice = events[3] {} else { Issue.record("the notice after the last batch") }
        let hosts = batches.flatMap { DownHosts($0).hosts }
        #expect(hosts.allSatisfy { $0.status == .down && $0.reason == .noResponse })
    }

    @Test("results, hosts found up and hosts found down reach the stream in the order they were sent, each kind batched")
    func kindsKeepTheirOrder() async {
        let (stream, continuation) = AsyncStream.makeStream(of: ScanEvent.self, bufferingPolicy: .unbounded)
        let sink = EventSink(continuation, maxBatch: 3, interval: .seconds(60))
        func up(_ last: Int) -> HostResult { HostResult(address: IPAddress("198.18.0.\(last)")!, status: .up, reason: .echoReply) }
        sink.hostUp(up(1))
        sink.hostUp(up(2))
        sink.result(result(1))
        sink.hostDown(IPAddress("198.18.0.3")!)
        for host in 4...7 { sink.hostUp(up(host)) }
        sink.finish(summary())
        let shapes = await drain(stream).map { event -> String in
            switch event {
            case .hosts(let hosts): "up " + hosts.map { "\($0.address)".split(separator: ".").last! }.joined(separator: ",")
            case .hostsDown(let down): "down \(down.addresses.count)"
            case .results(let batch): "results \(batch.count)"
            case .finished: "finished"
            default: "other"
            }
        }
        #expect(shapes == ["up 1,2", "results 1", "down 1", "up 4,5,6", "up 7", "finished"])
    }

    @Test func flushesWhenTheIntervalIsDue() async {
        let (stream, continuation) = AsyncStream.makeStream(of: ScanEvent.self, bufferingPolicy: .unbounded)
        let sink = EventSink(continuation, maxBatch: 1000, interval: .milliseconds(20))
        sink.result(result(1))
        sink.flushIfDue(now: .now - .seconds(1))
        sink.result(result(2))
        sink.flushIfDue(now: .now + .milliseconds(25))
        sink.result(result(3))
        sink.finish(summary())
        let batches = await drain(stream).compactMap { if case .results(let b) = $0 { b.map(\.port) } else { nil } }
        #expect(batches == [[1, 2], [3]])
    }

    @Test func otherEventsComeAfterPendingResultsAndFinishIsLast() async {
        let (stream, continuation) = AsyncStream.makeStream(of: ScanEvent.self, bufferingPolicy: .unbounded)
        let sink = EventSink(continuation, maxBatch: 1000)
        sink.result(result(1))
        sink.send(.notice(Notice(.info, "hello")))
        sink.result(result(2))
        sink.finish(summary())
        sink.finish(ScanSummary(outcome: .failed, elapsed: .zero, probesSent: 0))
        sink.result(result(3))
        let events = await drain(stream)
        #expect(events.count == 4)
        guard events.count == 4 else { return }
        if case .results(let batch) = events[0] { #expect(batch.map(\.port) == [1]) } else { Issue.record("results first") }
        if case .notice = events[1] {} else { Issue.record("then the notice") }
        if case .results(let batch) = events[2] { #expect(batch.map(\.port) == [2]) } else { Issue.record("then results") }
        if case .finished(let s) = events[3] { #expect(s.outcome == .completed) } else { Issue.record("finished last") }
    }

    @Test func neverDropsUnderLoadFromManyThreads() async {
        let (stream, continuation) = AsyncStream.makeStream(of: ScanEvent.self, bufferingPolicy: .unbounded)
        let sink = EventSink(continuation, maxBatch: 64)
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for index in 0..<5000 {
                        sink.result(self.result(UInt16(worker * 5000 + index + 1)))
                        if index % 100 == 0 { sink.flushIfDue() }
                    }
                }
            }
        }
        sink.finish(summary())
        var ports: [UInt16] = []
        for case .results(let batch) in await drain(stream) { ports += batch.map(\.port) }
        #expect(ports.count == 20_000)
        #expect(Set(ports).count == 20_000)
        #expect(sink.completedCount == 20_000)
    }

    @Test func countsProbesAndCompletions() {
        let (_, continuation) = AsyncStream.makeStream(of: ScanEvent.self)
        let sink = EventSink(continuation)
        sink.probeSent()
        sink.probeSent(4)
        sink.completed(3)
        sink.result(result(1))
        #expect(sink.probesSent == 5)
        #expect(sink.completedCount == 4)
    }
}
