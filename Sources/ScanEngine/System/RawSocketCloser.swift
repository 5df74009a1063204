import Threads
import FoundationEssentials

/// Closes AF_PACKET sockets off the caller's thread. Linux's packet_release waits for an RCU grace
/// period (synchronize_net) whoever closes the socket: 10 to 25 ms on a quiet machine, for nothing
/// the caller needs. A scan that closed its receive socket in line would hold its last results
/// back that long, and the privilege check at start-up would hold back the scan.
enum RawSocketCloser {
    static func closeInBackground(_ descriptor: CInt, system: any SystemCalls = LiveSystem()) {
        OSThread.start(name: "portgrid-close") { try? system.close(descriptor) }
    }
}
