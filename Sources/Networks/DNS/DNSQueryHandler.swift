import Logging
import NIOCore

/// Turns one query datagram arriving on one listening address into the reply datagram: asks `lookup`
/// about the question, answers the names it knows and relays the rest through `forwarder`. Malformed
/// datagrams and responses get no reply. It owns no socket, so tests call it directly.
struct DNSQueryHandler: Sendable {
    /// The TTL of the records the resolver answers with, as dockerd's.
    static let answerTTL: UInt32 = 600
    /// The largest reply to a query without EDNS (RFC 1035 §4.2.1).
    static let plainPayloadLimit = 512
    /// The largest reply to an EDNS query, whatever larger size it advertises: DNS Flag Day 2020's size,
    /// which no link fragments.
    static let ednsPayloadLimit = 1232

    /// The address given to `EmbeddedResolver.listen`, passed on in each `DNSLookup`.
    let listenAddress: String
    /// The socket's own address, never forwarded to (that would loop).
    let localAddress: SocketAddress
    let lookup: @Sendable (DNSLookup) async -> DNSLookupAnswer
    let forwarder: DNSForwarder
    /// Bounds the queries being forwarded from this socket; past it a query gets SERVFAIL at once, so that
    /// unanswered upstreams cannot hold up the answers to container names.
    let forwarding: ConcurrencyLimit
    let logger: Logger

    /// The reply to `datagram` from `sourceAddress`, or nil when there is none to send.
    func reply(to datagram: [UInt8], from sourceAddress: String) async -> [UInt8]? {
        let query: DNSMessage
        do {
            query = try DNSMessage(bytes: datagram)
        } catch {
            logger.trace("drop malformed dns query", metadata: ["source": "\(sourceAddress)", "error": "\(error)"])
            return nil
        }
        guard !query.isResponse else { return nil }
        var reply = Self.emptyReply(to: query)
        guard query.opcode == 0 else {
            reply.responseCode = .notImplemented
            return reply.encoded()
        }
        guard query.questions.count == 1, let question = query.questions.first else {
            reply.questions = []
            reply.responseCode = .formatError
            return reply.encoded()
        }
        guard question.recordClass == DNSQuestion.internetClass else {
            reply.responseCode = .refused
            return reply.encoded()
        }
        let lookup = DNSLookup(
            name: question.name.lookupKey, type: question.type, listenAddress: listenAddress, sourceAddress: sourceAddress)
        switch await self.lookup(lookup) {
        case .addresses(let addresses):
            reply.answers = addresses.compactMap { DNSRecord(name: question.name, address: $0, ttl: Self.answerTTL) }
                .filter { $0.type == question.type }
        case .pointer(let target) where question.type == .ptr:
            guard let target = try? DNSName(target) else {
                logger.warning("answer dns query with server failure", metadata: ["name": "\(lookup.name)", "error": "invalid pointer \(target)"])
                reply.responseCode = .serverFailure
                break
            }
            reply.answers = [DNSRecord(name: question.name, pointingTo: target, ttl: Self.answerTTL)]
        case .pointer:
            break
        case .notFound:
            reply.responseCode = .nameError
        case .serverFailure:
            reply.responseCode = .serverFailure
        case .refused:
            reply.responseCode = .refused
        case .forward(let nameservers):
            if let upstreamReply = await forward(datagram, id: query.id, to: nameservers) {
                return upstreamReply
            }
            logger.debug("answer dns query with server failure", metadata: ["name": "\(lookup.name)", "upstreams": "\(nameservers)"])
            reply.responseCode = .serverFailure
        }
        return Self.fitting(reply, into: Self.payloadLimit(of: query)).encoded()
    }

    private func forward(_ datagram: [UInt8], id: UInt16, to nameservers: [String]) async -> [UInt8]? {
        guard forwarding.tryAcquire() else {
            logger.warning("refuse to forward a dns query", metadata: ["reason": "\(forwarding.limit) forwards in progress"])
            return nil
        }
        defer { forwarding.release() }
        return await forwarder.forward(datagram, id: id, to: upstreamAddresses(nameservers), logger: logger)
    }

    private func upstreamAddresses(_ nameservers: [String]) -> [SocketAddress] {
        nameservers.compactMap { nameserver in
            guard let address = DNSForwarder.upstreamAddress(nameserver) else {
                logger.warning("skip invalid dns upstream", metadata: ["upstream": "\(nameserver)"])
                return nil
            }
            return address == localAddress ? nil : address
        }
    }

    /// The reply header and question for `query`, with an OPT record when the query had one (RFC 6891 §7).
    private static func emptyReply(to query: DNSMessage) -> DNSMessage {
        var reply = DNSMessage(
            id: query.id, isResponse: true, opcode: query.opcode, recursionDesired: query.recursionDesired,
            recursionAvailable: true, questions: query.questions)
        if query.ednsPayloadSize != nil {
            reply.additionals = [DNSRecord(name: .root, type: .opt, recordClass: UInt16(ednsPayloadLimit))]
        }
        return reply
    }

    private static func payloadLimit(of query: DNSMessage) -> Int {
        query.ednsPayloadSize.map { min(max($0, plainPayloadLimit), ednsPayloadLimit) } ?? plainPayloadLimit
    }

    /// `reply` with as many of its answers, from the first, as fit in `limit` bytes. The TC bit stays clear:
    /// the resolver serves no TCP a client could retry on, so the answers that fit are the better reply.
    private static func fitting(_ reply: DNSMessage, into limit: Int) -> DNSMessage {
        var fitted = reply
        fitted.answers = []
        var length = fitted.encoded().count
        for answer in reply.answers {
            length += fitted.encodedLength(of: answer)
            guard length <= limit else { break }
            fitted.answers.append(answer)
        }
        return fitted
    }
}
