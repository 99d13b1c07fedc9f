<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Banner</name>
    <message>
        <location filename="../../ui/composer.py" line="41"/>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../../ui/chat_view.py" line="151"/>
        <location filename="../../ui/chat_view.py" line="267"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../ui/chat_view.py" line="159"/>
        <source>Start a conversation: type a message below.</source>
        <translation>开始对话：在下方输入消息。</translation>
    </message>
    <message>
        <location filename="../../ui/chat_view.py" line="270"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../../ui/chat_view.py" line="272"/>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../ui/composer.py" line="110"/>
        <source>Message the assistant (Enter to send, Shift+Enter for a new line)</source>
        <translation>给助手发消息（Enter 发送，Shift+Enter 换行）</translation>
    </message>
    <message>
        <location filename="../../ui/composer.py" line="116"/>
        <location filename="../../ui/composer.py" line="175"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location filename="../../ui/composer.py" line="149"/>
        <source>Editing message — the chat continues from the edited text.</source>
        <translation>正在编辑消息——对话将从修改后的内容继续。</translation>
    </message>
    <message>
        <location filename="../../ui/composer.py" line="150"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/composer.py" line="171"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../ui/composer.py" line="172"/>
        <source>Stop the reply (what was written is kept)</source>
        <translation>停止回复（已生成的内容会保留）</translation>
    </message>
    <message>
        <location filename="../../ui/composer.py" line="176"/>
        <source>Send (Enter)</source>
        <translation>发送（Enter）</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="44"/>
        <source>Offline Assistant</source>
        <translation>离线助手</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="69"/>
        <location filename="../../ui/main_window.py" line="245"/>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="88"/>
        <source>Copied to the clipboard</source>
        <translation>已复制到剪贴板</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="92"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="93"/>
        <source>&amp;New chat</source>
        <translation>新建对话(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="94"/>
        <source>&amp;Rename chat</source>
        <translation>重命名对话(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="96"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="97"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="98"/>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="99"/>
        <source>S&amp;top reply</source>
        <translation>停止回复(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="100"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="101"/>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="128"/>
        <source>No model set — choose one in Settings</source>
        <translation>未设置模型——请在“设置”中选择</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="216"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="244"/>
        <source>Loading the model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="246"/>
        <source>Generating…</source>
        <translation>正在生成…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="247"/>
        <source>Error</source>
        <translation>出错</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="279"/>
        <source>%1 older messages are left out of the model&apos;s view to fit its context (they are still saved).</source>
        <translation>为适应模型的上下文长度，%1 条较早的消息未提供给模型（它们仍然保存着）。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="296"/>
        <source>Generating… %1 tokens/s</source>
        <translation>正在生成… 每秒 %1 个词元</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="303"/>
        <source>Ready — last reply %1 tokens at %2 tokens/s</source>
        <translation>就绪——上条回复 %1 个词元，每秒 %2 个</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="317"/>
        <source>The model stopped unexpectedly. The reply so far is kept; your next message restarts the model.</source>
        <translation>模型意外停止。已生成的回复已保留；发送下一条消息时会重新启动模型。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="319"/>
        <source>Could not save. Your text is kept in the box below.</source>
        <translation>无法保存。你输入的内容仍保留在下方的输入框中。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="325"/>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="362"/>
        <source>About Offline Assistant</source>
        <translation>关于离线助手</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="363"/>
        <source>Offline Assistant %1

Chat with a local model. Everything stays on this computer.</source>
        <translation>离线助手 %1

与本地模型对话。所有内容都只保存在这台电脑上。</translation>
    </message>
</context>
<context>
    <name>MessageWidget</name>
    <message>
        <location filename="../../ui/chat_view.py" line="92"/>
        <source>You</source>
        <extracomment>Distance (px) from the bottom that still counts as &quot;at the bottom&quot;.</extracomment>
        <translation>你</translation>
    </message>
    <message>
        <location filename="../../ui/chat_view.py" line="92"/>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <location filename="../../ui/chat_view.py" line="96"/>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../../ui/chat_view.py" line="97"/>
        <source>Interrupted — the model stopped unexpectedly</source>
        <translation>已中断——模型意外停止</translation>
    </message>
    <message>
        <location filename="../../ui/chat_view.py" line="98"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../ui/chat_view.py" line="99"/>
        <source>Writing…</source>
        <translation>正在输入…</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../ui/settings_dialog.py" line="42"/>
        <source>Settings</source>
        <extracomment>(stored value, native name); &quot;&quot; follows the system locale.</extracomment>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="52"/>
        <source>not installed</source>
        <translation>未安装</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="53"/>
        <source>Bundled starter model (%1)</source>
        <translation>内置入门模型（%1）</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="54"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="56"/>
        <source>Use starter</source>
        <translation>使用入门模型</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="57"/>
        <source>Use the bundled starter model</source>
        <translation>使用内置的入门模型</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="63"/>
        <source>Model file</source>
        <translation>模型文件</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="69"/>
        <source> tokens</source>
        <translation> 个词元</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="70"/>
        <source>Context length</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="76"/>
        <source>Auto (%1 physical cores)</source>
        <translation>自动（%1 个物理核心）</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="78"/>
        <source>CPU threads</source>
        <translation>CPU 线程数</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="83"/>
        <source>Auto (as many as fit in GPU memory)</source>
        <translation>自动（按显存能容纳的最多层数）</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="84"/>
        <source>Layers offloaded to the GPU; 0 runs on the CPU only</source>
        <translation>卸载到 GPU 的层数；0 表示只用 CPU 运行</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="85"/>
        <source>GPU layers</source>
        <translation>GPU 层数</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="91"/>
        <source> MB</source>
        <translation> MB</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="92"/>
        <source>No limit</source>
        <translation>不限制</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="93"/>
        <source>GPU memory limit</source>
        <translation>显存上限</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="100"/>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="105"/>
        <source>Max reply length</source>
        <translation>最大回复长度</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="106"/>
        <source>Model, context, thread and GPU changes apply to the next message.</source>
        <translation>模型、上下文、线程和 GPU 的更改将在下一条消息时生效。</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="110"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="115"/>
        <source>System prompt for all chats</source>
        <translation>所有对话的系统提示词</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="118"/>
        <source>System prompt for this chat (empty: use the one above)</source>
        <translation>本对话的系统提示词（留空则使用上面的）</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="122"/>
        <source>Open or start a chat to set its own prompt.</source>
        <translation>打开或开始一个对话后，才能为它单独设置提示词。</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="124"/>
        <source>Prompts</source>
        <translation>提示词</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="130"/>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="136"/>
        <location filename="../../ui/settings_dialog.py" line="140"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="137"/>
        <source>A new language applies after a restart.</source>
        <translation>更改语言后需重新启动才会生效。</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="155"/>
        <source>Choose a model</source>
        <translation>选择模型</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="155"/>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型 (*.gguf)</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <location filename="../../ui/sidebar.py" line="47"/>
        <source>New chat</source>
        <extracomment>How long the &quot;Chat deleted — Undo&quot; bar stays up.</extracomment>
        <translation>新建对话</translation>
    </message>
    <message>
        <location filename="../../ui/sidebar.py" line="51"/>
        <source>Filter by title</source>
        <translation>按标题筛选</translation>
    </message>
    <message>
        <location filename="../../ui/sidebar.py" line="118"/>
        <source>Deleted “%1”.</source>
        <translation>已删除“%1”。</translation>
    </message>
    <message>
        <location filename="../../ui/sidebar.py" line="118"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../ui/sidebar.py" line="140"/>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <location filename="../../ui/sidebar.py" line="141"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
</TS>
