#if canImport(Glibc)
import Glibc
#endif

/// A libFuzzer callback: one input, 0 to go on (libFuzzer's `LLVMFuzzerTestOneInput` signature).
public typealias FuzzTarget = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

/// Runs libFuzzer on `target` with this process's command line (-runs=, -jobs=, corpus
/// directories, ...) and exits with its status.
///
/// SwiftPM links an executable's own entry point as `main`, so the `main` that -sanitize=fuzzer
/// links in is never called; libFuzzer's driver is started from ours instead.
public func runFuzzer(_ target: FuzzTarget) -> Never {
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, target))
}

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ target: FuzzTarget
) -> CInt
