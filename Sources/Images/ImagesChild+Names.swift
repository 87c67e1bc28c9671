import Digests
import Foundation
import Messages

extension ImagesChild {
    public func tag(_ name: String, repository: String, tag: String?) async throws {
        let image = try await catalog.resolve(name)
        let target = try ImageReference(parsing: repository + (tag.map { $0.isEmpty ? "" : ":" + $0 } ?? ""))
        guard target.digest == nil else { throw EngineError.invalidArgument("refusing to create a tag with a digest reference") }
        if let previous = try await catalog.setReference(target, to: image.id) {
            await publish("untag", id: previous)
        }
        await publish("tag", id: image.id, name: target.familiar)
    }

    /// Removes the name `name`; the image itself goes when no name is left, or at once when `name` is
    /// an ID (with several names only under `force`). Containers using an image arrive with the
    /// Containers issue, and will make this a conflict unless forced. `prune` also removes the untagged
    /// parents (a build's intermediate images) that nothing else keeps.
    public func remove(_ name: String, force: Bool, prune: Bool) async throws -> [ImageDeleteItem] {
        let image = try await catalog.resolve(name)
        let names = try await catalog.names(of: image.id)
        let byName = try? ImageReference(parsing: name)
        var items: [ImageDeleteItem] = []
        var untag = names
        if let byName, names.contains(where: { $0.name == byName.description }) {
            // Removing a name deletes the image only when no tag is left; its digest names go with it.
            let others = names.filter { $0.name != byName.description }
            if others.contains(where: { !$0.isDigest }) { untag = names.filter { $0.name == byName.description } }
        } else if names.filter({ !$0.isDigest }).count > 1 && !force {
            throw EngineError.conflict(
                "conflict: unable to delete \(SHA256Digest.hex(image.id).prefix(12)) (must be forced) - image is referenced in multiple repositories")
        }
        let deletesImage = untag.count == names.count
        var keepImage = false
        if deletesImage, let user = try await containers(using: image.id).first {
            let short = SHA256Digest.hex(image.id).prefix(12)
            let state = user.state.isRunning ? "running" : "stopped"
            if user.state.isRunning && !(force && byName != nil) {
                throw EngineError.conflict(
                    "conflict: unable to delete \(short) (cannot be forced) - image is being used by \(state) container \(user.id.prefix(12))")
            }
            if !force {
                if let byName, names.contains(where: { $0.name == byName.description }) {
                    throw EngineError.conflict(
                        "conflict: unable to remove repository reference \"\(name)\" (must force) - container \(user.id.prefix(12)) is using its referenced image \(short)")
                }
                throw EngineError.conflict("conflict: unable to delete \(short) (must be forced) - image is being used by \(state) container \(user.id.prefix(12))")
            }
            // Forced: the names go, the image stays for the containers that run on it.
            keepImage = user.state.isRunning
        }
        // containerd's record goes before the names: a removal cut there (containerd restarting) leaves
        // the image as it was, named, for the client to retry.
        if deletesImage && !keepImage {
            try await subsystems.containerd.ask { try await $0.deleteImageRecord(named: image.recordName) }
        }
        for reference in untag {
            try await catalog.removeReference(reference.name)
            let familiar = (try? ImageReference(parsing: reference.name).familiar) ?? reference.name
            items.append(.untagged(familiar))
            await publish("untag", id: image.id, name: familiar)
        }
        guard deletesImage && !keepImage else { return items }
        try await catalog.delete(image.id)
        items.append(.deleted(image.id))
        await publish("delete", id: image.id)
        if prune && !image.parentID.isEmpty { items += try await removeIntermediate(image.parentID).items }
        return items
    }

    /// The containers created from an image.
    func containers(using imageID: String) async throws -> [ContainerRecord] {
        try await subsystems.containers.ask { try await $0.list(all: true, filters: [:]) }.filter { $0.imageID == imageID }
    }
}
