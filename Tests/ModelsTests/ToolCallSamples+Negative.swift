import PartnerCore

/// Outputs that must not yield any call: prose that happens to contain JSON, code, calls
/// that exist only in the model's reasoning, and lookalikes.
extension ToolCallSample {
    static let negatives: [ToolCallSample] = [
        ToolCallSample("negative", "package.json in prose", #"""
        Your package.json should look like {"name": "my-app", "version": "1.0.0", "private": true}.
        """#, []),
        ToolCallSample("negative", "package.json in a json fence", #"""
        ```json
        {
          "name": "partner-web",
          "scripts": {"build": "tsc", "test": "jest"}
        }
        ```
        """#, []),
        ToolCallSample("negative", "a record whose name equals a tool's, without arguments", #"""
        The row looks like {"name": "read_file", "owner": "root", "size": 42}.
        """#, []),
        ToolCallSample("negative", "pythonic-looking text calling an undeclared function", #"""
        You can debug it with [print(value=x)] in the REPL.
        """#, []),
        ToolCallSample("negative", "a Python prompt", #"""
        >>> print("hello")
        hello
        """#, []),
        ToolCallSample("negative", "markdown links and a list of numbers", #"""
        See [the docs](https://example.com/docs) and the values [1, 2, 3].
        """#, []),
        ToolCallSample("negative", "a call only inside the reasoning", #"""
        <think>I could call {"name": "read_file", "arguments": {"path": "secrets.env"}} but I won't.</think>
        The answer is 42.
        """#, []),
        ToolCallSample("negative", "reasoning left open that contains a call", #"""
        <think>Let me think about calling <tool_call>{"name": "run_command", "arguments": {"command": "ls"}}</tool_call>
        """#, []),
        ToolCallSample("negative", "Swift code with braces and brackets", #"""
        ```swift
        func total(_ values: [Int]) -> Int { values.reduce(0) { $0 + $1 } }
        let config = ["name": "search", "arguments": "none"]
        ```
        """#, []),
        ToolCallSample("negative", "a list of records", #"""
        [{"id": 1, "title": "Fix the build"}, {"id": 2, "title": "Write docs"}]
        """#, []),
        ToolCallSample("negative", "Harmony analysis channel only", """
        <|channel|>analysis<|message|>Maybe to=functions.read_file with {"path": "x"} later.<|end|>
        """, []),
        ToolCallSample("negative", "an empty answer", "", []),
        ToolCallSample("negative", "plain prose", "I have finished the task. All 112 tests pass.", []),
        ToolCallSample("negative", "a JSON schema shown to the user", #"""
        The tool takes {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}.
        """#, []),
        ToolCallSample("negative", "an undeclared tool in bare JSON", #"""
        {"name": "delete_repository", "arguments": {"confirm": true}}
        """#, []),
    ]
}
