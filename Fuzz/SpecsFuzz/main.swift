import FuzzDriver

// A closure, not the function itself: converting the @_cdecl function to a C pointer here would
// emit a second LLVMFuzzerTestOneInput in this file.
runFuzzer { data, size in specsFuzzOneInput(data, size) }
