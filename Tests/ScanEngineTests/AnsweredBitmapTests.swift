import Testing
@testable import ScanEngine

@Suite struct AnsweredBitmapTests {
    @Test("a one-item bitmap keeps each host's bit apart from its neighbours' in the same word")
    func oneItemHostsShareWordsWithoutMixing() {
        var bitmap = AnsweredBitmap(hostCount: 130, itemCount: 1)
        let first = bitmap.insert(host: 63, item: 0)
        let second = bitmap.insert(host: 64, item: 0)
        let again = bitmap.insert(host: 64, item: 0)
        #expect(first && second && !again)
        for host in 0 ..< 130 {
            let set = host == 63 || host == 64
            #expect(bitmap.contains(host: host, item: 0) == set)
            #expect(bitmap.unansweredCount(host: host) == (set ? 0 : 1))
            #expect(bitmap.unanswered(host: host) == (set ? [] : [0]))
        }
        #expect(bitmap.setCount == 2)
    }

    @Test("a host whose items straddle word boundaries lists exactly its own clear items")
    func itemsAcrossWordBoundariesAreTheHostsOwn() {
        // 100 items a host: host 1 runs from bit 100 to 199, over words 1, 2 and 3, sharing the
        // first and the last with hosts 0 and 2.
        var bitmap = AnsweredBitmap(hostCount: 3, itemCount: 100)
        for item in 0 ..< 100 {
            bitmap.insert(host: 0, item: item)
            bitmap.insert(host: 2, item: item)
        }
        for item in [0, 27, 28, 91, 99] { bitmap.insert(host: 1, item: item) }
        let expected = (0 ..< 100).filter { ![0, 27, 28, 91, 99].contains($0) }
        #expect(bitmap.unanswered(host: 1) == expected)
        #expect(bitmap.unansweredCount(host: 1) == 95)
        #expect(bitmap.unanswered(host: 0).isEmpty && bitmap.unanswered(host: 2).isEmpty)
        #expect(bitmap.unansweredCount(host: 0) == 0 && bitmap.unansweredCount(host: 2) == 0)
        #expect(bitmap.contains(host: 1, item: 99) && !bitmap.contains(host: 1, item: 98))
    }

    @Test("a host of exactly 64 items aligned to a word counts all of them")
    func wordAlignedHostsCountEveryItem() {
        var bitmap = AnsweredBitmap(hostCount: 2, itemCount: 64)
        #expect(bitmap.unansweredCount(host: 1) == 64)
        bitmap.insert(host: 1, item: 63)
        #expect(bitmap.unanswered(host: 1) == Array(0 ..< 63))
        #expect(bitmap.unansweredCount(host: 0) == 64)
    }
}
