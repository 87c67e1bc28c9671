import Foundation
import Messages
import Supervision

extension ImagesChild {
    /// Gives back what an earlier incarnation left in containerd, then serves. The image records go
    /// before the first request (a load of this incarnation adds its record before its catalog row);
    /// the leases, noted before too, are given back in the background.
    public func run(_ context: ChildContext) async throws {
        logger = context.logger
        let leftLeases = leaseLedger.ids()
        await deleteOrphanRecords()
        context.ready()
        Task { for lease in leftLeases { await self.giveBack(lease) } }
        await context.untilStopped()
    }

    /// Deletes a lease (what it kept and no image record keeps is then collected) and forgets it. When
    /// containerd cannot (it is restarting), the ledger keeps it and the deletion is tried again every
    /// 5 s for a minute, then at the next start.
    func giveBack(_ lease: String, attempt: Int = 1) async {
        do {
            try await subsystems.containerd.ask(deadline: .leftoverCleanup) { try await $0.deleteLease(lease) }
            try leaseLedger.remove(lease)
        } catch {
            logger?.warning("giving back a lease failed", metadata: ["lease": "\(lease)", "attempt": "\(attempt)", "error": "\(error)"])
            guard attempt < 12 else { return }
            Task {
                try? await Task.sleep(for: .seconds(5))
                await self.giveBack(lease, attempt: attempt + 1)
            }
        }
    }

    /// Deletes the containerd image records (`berth.image/<id>`) of images the catalog does not have:
    /// left by a removal or an import that was cut between containerd and the catalog.
    private func deleteOrphanRecords() async {
        do {
            let records = try await subsystems.containerd.ask(deadline: .leftoverCleanup) { try await $0.imageRecords() }
            for record in records where record.name.hasPrefix(StoredImage.recordPrefix) {
                let id = String(record.name.dropFirst(StoredImage.recordPrefix.count))
                do {
                    _ = try await catalog.resolve(id)
                    continue
                } catch let error as EngineError where error.code == .notFound {}
                logger?.info("deleting an image record the catalog does not have", metadata: ["record": "\(record.name)"])
                try await subsystems.containerd.ask(deadline: .leftoverCleanup) { try await $0.deleteImageRecord(named: record.name) }
            }
        } catch {
            logger?.warning("deleting image records the catalog does not have failed", metadata: ["error": "\(error)"])
        }
    }
}
