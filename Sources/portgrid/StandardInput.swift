import FoundationEssentials
import Glibc

/// Standard input read to its end, for the file arguments where `-` names it (`-iL -`, `merge -`).
enum StandardInput {
    /// Everything until end of file; nil when the descriptor cannot be read (closed, a directory).
    static func readAll() -> Data? {
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count == 0 { return data }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            data.append(contentsOf: chunk[..<count])
        }
    }
}
