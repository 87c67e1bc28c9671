import Foundation
@testable import Images
@testable import Registry

/// The input as a document a registry or an image tarball supplies: a manifest, an index, an image
/// configuration (as pull and load read it, and as the builder reads a base image's), a token answer and
/// an error body. Each parser sees the whole input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImageManifest(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    if let manifest = try? ImageManifest.parse(data) {
        _ = manifest.gcLabels
        _ = try? manifest.encoded()
    }
    _ = try? JSONDecoder().decode(ImageIndex.self, from: data)
    if let config = try? ImageConfig.parse(data) {
        _ = config.createdNano
        _ = config.labels
    }
    if let document = try? ImageDocument.parse(data) {
        _ = document.configKey
        _ = try? document.encoded()
    }
    return 0
}
