import PortgridCore

/// Everything that can happen to the app: producers (keyboard, scan, signals, exporter) send
/// these and only `reduce` turns them into state. Queued one per host during a sweep, so the rare
/// big payloads are boxed (`indirect`): inline, a reading made every action 624 bytes, and a /16
/// sweep's queue tens of megabytes.
enum Action: Sendable {
    case key(Key)
    case mouse(Mouse)
    case resize(ScreenSize)
    /// An event of scan `id`; events of a scan already replaced still carry valid results.
    case scan(id: Int, ScanEvent)
    /// SIGINT, SIGTERM or SIGHUP arrived.
    case terminate
    case exportFinished(FooterMessage)
    /// Service detection learned what runs on an open port.
    indirect case detected(ServiceKey, ServiceIdentity)
    /// A fresh reading of the reports `portgrid view` shows (read-only sessions).
    indirect case stored(StoredReading)
}

/// What `reduce` asks the runtime to do: the only way state reaches the engine or the disk.
enum Effect: Hashable, Sendable {
    case startScan(id: Int, ScanRequest)
    case cancelScan(id: Int)
    case setTiming(TimingProfile)
    case setMaxRate(Double?)
    case setPaused(Bool)
    case export(path: String)
    /// Probe these open ports for their service (-sV).
    case probeServices([ServiceProbeOrder])
    /// Detection turned off: no new probes.
    case stopServiceProbes
    case quit
}
