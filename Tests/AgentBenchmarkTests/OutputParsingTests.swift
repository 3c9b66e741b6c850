import Testing
@testable import AgentBenchmark

/// What the benchmark reads from the agents' and the server's output.
@Suite("Reading Aider's, Partner's and the server's output")
struct OutputParsingTests {
    @Test("Aider token counts: plain, k and M suffixes", arguments: [
        ("95", 95), ("0", 0), ("1.2k", 1_200), ("12k", 12_000), ("9.9k", 9_900), ("1.5M", 1_500_000),
    ])
    func tokenCount(text: String, expected: Int) {
        #expect(AiderOutput.tokenCount(Substring(text)) == expected)
    }

    @Test("text that is not a token count is not one", arguments: ["", "k", "abc", "$0.00", "-3"])
    func notATokenCount(text: String) {
        #expect(AiderOutput.tokenCount(Substring(text)) == nil)
    }

    @Test("Aider's Tokens lines count requests and add up sent and received tokens, whatever else they say")
    func aiderUsage() {
        let output = """
            Aider v0.86.2
            Model: openai/qwen2.5-coder-1.5b with whole edit format
            Git repo: .git with 2 files
            Repo-map: using 1024 tokens, auto refresh
            Tokens: 2.3k sent, 95 received.
            Add calc.py to the chat? (Y)es/(N)o/(D)on't ask again [Yes]: y
            Tokens: 12k sent, 1.1k received. Cost: $0.00 message, $0.00 session.
            Applied edit to calc.py
            Tokens: 950 sent, 300 cache hit, 12 received.
            Commit 1a2b3c4 fix: Correct the mean
            The Tokens: header of a table is not a usage line.
            """
        #expect(AiderOutput.usage(output) == AgentUsage(requests: 3, promptTokens: 2_300 + 12_000 + 950,
                                                        completionTokens: 95 + 1_100 + 12))
    }

    @Test("output without Tokens lines means no requests")
    func aiderNoUsage() {
        #expect(AiderOutput.usage("litellm.APIConnectionError: Connection refused\n") == AgentUsage(requests: 0, promptTokens: 0, completionTokens: 0))
    }

    @Test("the answer in Aider's chat history is the assistant's words, without the user's or Aider's lines")
    func aiderAnswer() {
        let history = """

            # aider chat started at 2025-01-15 10:00:00

            > Add billing/tax.py to the chat? (Y)es/(N)o [Yes]: y

            #### Which function looks up the VAT rate for a country?

            It is `rate_for` in currency.py.

            > Tokens: 1.1k sent, 20 received.
            """
        let answer = AiderOutput.answer(fromHistory: history)
        #expect(answer == "It is `rate_for` in currency.py.")
        #expect(!answer.contains("tax.py"))
    }

    @Test("llama-server's /metrics: the token counters, also in exponent notation")
    func metrics() throws {
        let text = """
            # HELP llamacpp:prompt_tokens_total Number of prompt tokens processed, excluding cached tokens
            # TYPE llamacpp:prompt_tokens_total counter
            llamacpp:prompt_tokens_total 1.23457e+06
            # HELP llamacpp:prompt_tokens_cached_total Number of prompt tokens reused from the cache
            # TYPE llamacpp:prompt_tokens_cached_total counter
            llamacpp:prompt_tokens_cached_total 5120
            # TYPE llamacpp:tokens_predicted_total counter
            llamacpp:tokens_predicted_total 845
            llamacpp:requests_processing 0
            llamacpp:spec_decode_num_accepted_tokens_per_pos_total{position="0"} 4
            """
        let counters = try #require(ServerCounters.parse(text))
        #expect(counters == ServerCounters(promptTokens: 1_234_570, cachedPromptTokens: 5_120, completionTokens: 845))
        let later = ServerCounters(promptTokens: 1_240_000, cachedPromptTokens: 6_000, completionTokens: 900)
        #expect(later.since(counters) == ServerCounters(promptTokens: 5_430, cachedPromptTokens: 880, completionTokens: 55))
        #expect(ServerCounters.requestsInProgress(in: text) == 0)
        #expect(ServerCounters.requestsInProgress(in: "llamacpp:requests_processing 2\n") == 2)
        #expect(ServerCounters.requestsInProgress(in: "llamacpp:prompt_tokens_total 100\n") == nil)
    }

    @Test("a server without the cache counter still has prompt and completion counts; one without metrics has none")
    func metricsMissing() {
        let old = "llamacpp:prompt_tokens_total 100\nllamacpp:tokens_predicted_total 20\n"
        #expect(ServerCounters.parse(old) == ServerCounters(promptTokens: 100, cachedPromptTokens: nil, completionTokens: 20))
        #expect(ServerCounters.parse("llamacpp:prompt_tokens_total 100\n") == nil)
        #expect(ServerCounters.parse("<html>not found</html>") == nil)
    }

    @Test("partner run --json: the result is read from the session_ended event at the end of the stream")
    func partnerOutput() throws {
        let stream = """
            {"schema_version":1,"session":"s-2","time":"2026-12-05T12:00:00.000Z","type":"session_started","command":"run"}
            {"schema_version":1,"session":"s-2","time":"2026-12-05T12:00:01.000Z","type":"model_text","turn":1,"delta":"{","restart":false}
            {"schema_version":1,"session":"s-2","time":"2026-12-05T12:00:09.000Z","type":"session_ended","outcome":"completed",\
            "result":{"status":"completed","answer":"Fixed the mean.","turns":3,"tool_calls":2,"failed_tool_calls":1,\
            "prompt_tokens":9000,"completion_tokens":400,"first_request_prompt_tokens":2500}}
            """
        let full = try #require(PartnerOutput.parse(stream))
        #expect(full.session == "s-2" && full.status == "completed" && full.answer == "Fixed the mean.")
        #expect(full.usage == AgentUsage(requests: 3, promptTokens: 9_000, completionTokens: 400))
        #expect(full.firstRequestPromptTokens == 2_500)
        #expect(full.failedToolCalls == 1)
        let killed = stream.split(separator: "\n").prefix(2).joined(separator: "\n")
        #expect(PartnerOutput.parse(killed) == nil, "a run killed before its session ended reports no result")
        #expect(PartnerOutput.parse("") == nil)
        #expect(PartnerOutput.parse("error: cannot reach the model server") == nil)
    }

    @Test("an identifier counts only as a whole word", arguments: [
        ("calc_total(items)", true), ("x = calc_total", true), ("calc_totals", false), ("my_calc_total", false),
        ("buf_append_char(b)", false), ("int buf_append(", true), ("", false),
    ])
    func wholeWord(text: String, expected: Bool) {
        let word = text.contains("buf_") ? "buf_append" : "calc_total"
        #expect(TaskChecker.containsWord(word, in: text) == expected)
    }
}
