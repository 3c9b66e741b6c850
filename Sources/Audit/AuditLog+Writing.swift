import Foundation
import PartnerCore

extension AuditLog {
    /// Starts a session: writes its row and its `session_start` event durably.
    /// - Parameter id: a fresh UUID unless the caller brings its own (it must be unused).
    public func beginSession(_ start: AuditSessionStart, id: String? = nil) throws(AuditError) -> AuditSession {
        guard mode == .write else { throw AuditError(.invalidArgument, "the audit log \(path) was opened read-only") }
        let sessionID = id ?? UUID().uuidString.lowercased()
        let (payload, redactions) = redactor.redact(try JSONValue(encoding: start))
        let taskText = payload["task"]?.stringValue ?? ""
        let row = try state.withLock { state throws(AuditError) -> WriterState.EventRow in
            guard state.chains[sessionID] == nil else {
                throw AuditError(.invalidArgument, "session \(sessionID) was already started by this process")
            }
            let time = AuditClock.now()
            state.enqueue(.session(WriterState.SessionRow(
                id: sessionID, startedAt: time, command: start.command, task: taskText, user: start.user,
                host: start.host, pid: Int(getpid()), process: Self.processIdentity?.text)))
            var chain = WriterState.Chain()
            let row = Self.chainedRow(session: sessionID, kind: .sessionStart, payload: payload, redactions: redactions,
                                      time: time, chain: &chain)
            state.enqueue(.event(row))
            do throws(AuditError) {
                try state.flush(durable: true)
            } catch {
                state.pending.removeLast(2)
                throw error
            }
            state.chains[sessionID] = chain
            return row
        }
        notify(row, kind: .sessionStart, payload: payload)
        return AuditSession(id: sessionID, log: self)
    }

    func append(session: String, kind: AuditEventKind, payload: JSONValue, durable: Bool) throws(AuditError)
        -> AuditReceipt
    {
        // Redaction and canonical encoding are the expensive parts: do them outside the lock.
        let (redacted, redactions) = redactor.redact(payload)
        let batchSize = options.batchSize
        let row = try state.withLock { state throws(AuditError) -> WriterState.EventRow in
            guard var chain = state.chains[session] else {
                throw AuditError(.sessionNotFound, "session \(session) was not started by this audit log")
            }
            guard !chain.ended else {
                throw AuditError(.sessionEnded, "session \(session) has ended; start a new session to record more")
            }
            let row = Self.chainedRow(session: session, kind: kind, payload: redacted, redactions: redactions,
                                      time: AuditClock.now(), chain: &chain)
            chain.totals.add(kind: kind, payload: redacted)
            state.enqueue(.event(row))
            if durable || state.pending.count >= batchSize {
                do throws(AuditError) {
                    try state.flush(durable: durable)
                } catch {
                    if durable {
                        // The action this event authorises must not happen; take the event back
                        // so the log never claims an authorisation that was not committed.
                        state.pending.removeLast()
                        if state.pending.isEmpty { state.pendingSince = nil }
                        throw error
                    }
                    log(error)
                }
            }
            state.chains[session] = chain
            return row
        }
        notify(row, kind: kind, payload: redacted)
        return AuditReceipt(session: session, seq: row.seq, hash: row.hash, committed: durable)
    }

    func endSession(_ session: String, _ end: AuditSessionEnd) throws(AuditError) -> AuditReceipt {
        let (row, payload) = try state.withLock { state throws(AuditError) -> (WriterState.EventRow, JSONValue) in
            guard var chain = state.chains[session] else {
                throw AuditError(.sessionNotFound, "session \(session) was not started by this audit log")
            }
            guard !chain.ended else { throw AuditError(.sessionEnded, "session \(session) has already ended") }
            var end = end
            var totals = chain.totals
            totals.events = chain.nextSeq - 1
            end.totals = totals
            let (payload, redactions) = redactor.redact(try JSONValue(encoding: end))
            let saved = chain
            let time = AuditClock.now()
            let row = Self.chainedRow(session: session, kind: .sessionEnd, payload: payload, redactions: redactions,
                                      time: time, chain: &chain)
            let signature = try options.signingKey?.sign(session: session, eventCount: row.seq, headHash: row.hash)
            state.enqueue(.event(row))
            state.enqueue(.end(WriterState.EndRow(
                session: session, endedAt: time, outcome: end.outcome.rawValue, eventCount: row.seq,
                headHash: row.hash, signature: signature, publicKey: options.signingKey?.publicKey.base64)))
            do throws(AuditError) {
                try state.flush(durable: true)
            } catch {
                state.pending.removeLast(2)
                state.chains[session] = saved
                throw error
            }
            chain.ended = true
            state.chains[session] = chain
            return (row, payload)
        }
        notify(row, kind: .sessionEnd, payload: payload)
        // Outside the lock, after the end is committed locally: shipping may wait on the network.
        options.sessionEnded?(self, session)
        return AuditReceipt(session: session, seq: row.seq, hash: row.hash, committed: true)
    }

    /// Builds the next row of `chain` and advances it.
    static func chainedRow(session: String, kind: AuditEventKind, payload: JSONValue, redactions: [AuditRedaction],
                           time: String, chain: inout WriterState.Chain) -> WriterState.EventRow {
        let payloadText = payload.canonicalText
        let redactionsText = AuditRedaction.canonicalText(redactions)
        let canonical = AuditEvent.canonicalText(session: session, seq: chain.nextSeq, time: time, kind: kind.rawValue,
                                                 payloadText: payloadText, redactionsText: redactionsText)
        let hash = AuditChain.hash(previous: chain.lastHash, canonicalText: canonical)
        let row = WriterState.EventRow(session: session, seq: chain.nextSeq, time: time, kind: kind.rawValue,
                                       payloadText: payloadText, redactionsText: redactionsText,
                                       prevHash: chain.lastHash, hash: hash)
        chain.nextSeq += 1
        chain.lastHash = hash
        return row
    }

    private func log(_ error: AuditError) {
        logger.error("audit batch commit failed; retrying at the next append",
                     metadata: ["audit.path": "\(path)", "error": "\(error.message)"])
    }
}

extension AuditSessionTotals {
    /// Counts one event into the totals.
    mutating func add(kind: AuditEventKind, payload: JSONValue) {
        switch kind {
        case .modelRequest: modelRequests += 1
        case .modelResponse:
            promptTokens += payload["promptTokens"]?.intValue ?? 0
            completionTokens += payload["completionTokens"]?.intValue ?? 0
            modelSeconds += payload["latencySeconds"]?.numberValue ?? 0
        case .toolCall: toolCalls += 1
        case .policyDecision where payload["decision"]?.stringValue == "deny": denials += 1
        case .approval where payload["answer"]?.stringValue != "approved": denials += 1
        case .workerSpawn: workers += 1
        case .workerExit: workerSeconds += payload["durationSeconds"]?.numberValue ?? 0
        case .fileWrite: fileWrites += 1
        case .error: errors += 1
        default: break
        }
    }
}
