<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Actions</name>
    <message>
        <location filename="../../ui/shell/help_dialogs.py" line="39"/>
        <source>not installed</source>
        <translation>未安装</translation>
    </message>
    <message>
        <location filename="../../ui/shell/help_dialogs.py" line="45"/>
        <source>Send the message</source>
        <translation>发送消息</translation>
    </message>
    <message>
        <location filename="../../ui/shell/help_dialogs.py" line="45"/>
        <source>Enter</source>
        <translation>Enter</translation>
    </message>
    <message>
        <location filename="../../ui/shell/help_dialogs.py" line="46"/>
        <source>New line in the message</source>
        <translation>消息中换行</translation>
    </message>
    <message>
        <location filename="../../ui/shell/help_dialogs.py" line="46"/>
        <source>Shift+Enter</source>
        <translation>Shift+Enter</translation>
    </message>
    <message>
        <location filename="../../ui/shell/help_dialogs.py" line="52"/>
        <source>New chat from anywhere (desktop shortcut)</source>
        <translation>在任何地方新建对话（桌面快捷键）</translation>
    </message>
    <message>
        <location filename="../../ui/shell/help_dialogs.py" line="92"/>
        <source>Offline Assistant</source>
        <translation>离线助手</translation>
    </message>
    <message>
        <location filename="../../ui/shell/help_dialogs.py" line="99"/>
        <source>Chat with a local model. Everything stays on this computer.</source>
        <translation>与本地模型聊天。所有内容都保留在这台电脑上。</translation>
    </message>
    <message>
        <location filename="../../ui/shell/help_dialogs.py" line="105"/>
        <source>About Offline Assistant</source>
        <translation>关于离线助手</translation>
    </message>
</context>
<context>
    <name>AgendaDialog</name>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="53"/>
        <source>Agenda</source>
        <translation>日程</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="86"/>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="87"/>
        <source>This week</source>
        <translation>本周</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="94"/>
        <source>New…</source>
        <translation>新建…</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="96"/>
        <source>Import .ics…</source>
        <translation>导入 .ics…</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="98"/>
        <source>Export .ics…</source>
        <translation>导出 .ics…</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="64"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="64"/>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="64"/>
        <source>Repeats</source>
        <translation>重复</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="111"/>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="112"/>
        <location filename="../../ui/agenda/agenda_dialog.py" line="171"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="114"/>
        <source>Snooze</source>
        <translation>稍后提醒</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="117"/>
        <source>Cancel it</source>
        <translation>取消此项</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="118"/>
        <source>It will not fire; kept in history</source>
        <translation>不会再提醒；保留在历史中</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="119"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="163"/>
        <source>event</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="171"/>
        <source>Past</source>
        <translation>已过</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="174"/>
        <source>Nothing scheduled today.</source>
        <translation>今天没有安排。</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="175"/>
        <source>Nothing scheduled this week.</source>
        <translation>本周没有安排。</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="176"/>
        <source>Use New… or ask in a chat: “remind me tomorrow at 9 to …”.</source>
        <translation>点“新建…”，或在聊天中说：“明天 9 点提醒我……”。</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="282"/>
        <source>Import a calendar</source>
        <translation>导入日历</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="282"/>
        <location filename="../../ui/agenda/agenda_dialog.py" line="330"/>
        <source>Calendar files (*.ics)</source>
        <translation>日历文件 (*.ics)</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="293"/>
        <source>Importing %1…</source>
        <translation>正在导入 %1…</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="310"/>
        <source>Import failed: %1</source>
        <translation>导入失败：%1</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="313"/>
        <source>Imported %1 items.</source>
        <translation>已导入 %1 项。</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="315"/>
        <source>%1 were already here.</source>
        <translation>%1 项已存在。</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="329"/>
        <source>Export the agenda</source>
        <translation>导出日程</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="339"/>
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/agenda_dialog.py" line="341"/>
        <source>Saved %1.</source>
        <translation>已保存 %1。</translation>
    </message>
</context>
<context>
    <name>AgentPage</name>
    <message>
        <location filename="../../ui/settings/agent_page.py" line="29"/>
        <source>Let the assistant use tools (reminders, agenda, search)</source>
        <translation>允许助手使用工具（提醒、日程、搜索）</translation>
    </message>
    <message>
        <location filename="../../ui/settings/agent_page.py" line="31"/>
        <source>Allow web search and fetching pages (goes online)</source>
        <translation>允许网络搜索和抓取网页（会联网）</translation>
    </message>
    <message>
        <location filename="../../ui/settings/agent_page.py" line="37"/>
        <source>Ask again for the selected tool</source>
        <translation>所选工具恢复为每次询问</translation>
    </message>
    <message>
        <location filename="../../ui/settings/agent_page.py" line="43"/>
        <source>Tools that change something or go online ask before they run. These tools run without asking:</source>
        <translation>会修改内容或联网的工具在运行前会先询问。以下工具无需询问即可运行：</translation>
    </message>
    <message>
        <location filename="../../ui/settings/agent_page.py" line="46"/>
        <source>None: every such tool asks first.</source>
        <translation>无：所有此类工具都会先询问。</translation>
    </message>
</context>
<context>
    <name>ApiController</name>
    <message>
        <location filename="../../ui/bridge/api_server.py" line="114"/>
        <source>Port %1 is already in use by another program. Choose another port in Settings → Local API.</source>
        <extracomment>How long quitting waits for a start or stop under way before stopping the server itself. Every server started (appended on the worker thread), so quitting stops one whose start finished after the GUI stopped listening.</extracomment>
        <translation>端口 %1 已被其他程序占用。请在“设置 → 本地 API”中换一个端口。</translation>
    </message>
    <message>
        <location filename="../../ui/bridge/api_server.py" line="118"/>
        <source>The local API could not start: %1</source>
        <translation>本地 API 无法启动：%1</translation>
    </message>
</context>
<context>
    <name>AwayPanel</name>
    <message>
        <location filename="../../ui/agenda/reminders.py" line="176"/>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/reminders.py" line="190"/>
        <source>While you were away</source>
        <translation>你不在时</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/reminders.py" line="194"/>
        <source> (missed %1 times)</source>
        <translation>（错过 %1 次）</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <location filename="../../ui/widgets/banner.py" line="31"/>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>CatalogTab</name>
    <message>
        <location filename="../../ui/models/catalog_tab.py" line="250"/>
        <source>Recommended models. Downloads can be paused and resumed, also after a restart; each file is checked before it is used.</source>
        <translation>推荐的模型。下载可以暂停和继续（重启后也可以）；每个文件在使用前都会经过校验。</translation>
    </message>
</context>
<context>
    <name>ChatCards</name>
    <message>
        <location filename="../../ui/chat/cards.py" line="70"/>
        <source>Earlier chat</source>
        <translation>以前的聊天</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="71"/>
        <location filename="../../ui/chat/cards.py" line="95"/>
        <source>Saved fact</source>
        <translation>已保存的事实</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="72"/>
        <source>Document</source>
        <translation>文档</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="83"/>
        <source>Sources</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="85"/>
        <source>Reference material given to the model</source>
        <translation>提供给模型的参考资料</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="100"/>
        <source>p. %1</source>
        <translation>第 %1 页</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="173"/>
        <source>Reminder</source>
        <translation>提醒</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="174"/>
        <source>Agenda</source>
        <translation>日程</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="175"/>
        <source>Move a reminder</source>
        <translation>改提醒时间</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="176"/>
        <source>Snooze a reminder</source>
        <translation>稍后提醒</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="177"/>
        <source>Mark a reminder done</source>
        <translation>标记提醒完成</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="178"/>
        <source>Cancel reminders</source>
        <translation>取消提醒</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="179"/>
        <source>Search chats</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="180"/>
        <source>Search documents</source>
        <translation>搜索文档</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="181"/>
        <source>Search memory</source>
        <translation>搜索记忆</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="182"/>
        <source>Web search</source>
        <translation>网页搜索</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="183"/>
        <source>Open a web page</source>
        <translation>打开网页</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="184"/>
        <source>Clock</source>
        <translation>时钟</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="185"/>
        <source>Date calculation</source>
        <translation>日期计算</translation>
    </message>
</context>
<context>
    <name>ChatController</name>
    <message>
        <location filename="../../ui/chat/controller.py" line="83"/>
        <location filename="../../ui/chat/controller.py" line="203"/>
        <source>Copied to the clipboard</source>
        <extracomment>A reply finished (Done), with the user&apos;s message it answers (for the language note). A send in a new chat: the conversation it creates becomes the one on screen.</extracomment>
        <translation>已复制到剪贴板</translation>
    </message>
    <message>
        <location filename="../../ui/chat/controller.py" line="119"/>
        <source>Model not ready: %1</source>
        <translation>模型未就绪：%1</translation>
    </message>
    <message>
        <location filename="../../ui/chat/controller.py" line="222"/>
        <source>Loading the model… your message is sent when it is ready.</source>
        <translation>正在加载模型…… 就绪后会发送你的消息。</translation>
    </message>
    <message>
        <location filename="../../ui/chat/controller.py" line="247"/>
        <source>Loading the model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <location filename="../../ui/chat/controller.py" line="250"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <location filename="../../ui/chat/controller.py" line="316"/>
        <source>%1 older messages are left out of the model&apos;s view to fit its context (they are still saved).</source>
        <translation>为适应模型的上下文长度，%1 条较早的消息未提供给模型（它们仍然保存着）。</translation>
    </message>
    <message>
        <location filename="../../ui/chat/controller.py" line="333"/>
        <source>Generating… %1 tokens/s</source>
        <translation>正在生成… 每秒 %1 个词元</translation>
    </message>
    <message>
        <location filename="../../ui/chat/controller.py" line="340"/>
        <source>Ready — last reply %1 tokens at %2 tokens/s</source>
        <translation>就绪——上条回复 %1 个词元，每秒 %2 个</translation>
    </message>
    <message>
        <location filename="../../ui/chat/controller.py" line="340"/>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../ui/chat/controller.py" line="359"/>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
</context>
<context>
    <name>ChatHeader</name>
    <message>
        <location filename="../../ui/chat/header.py" line="27"/>
        <source>Which document collections this chat may cite</source>
        <translation>此聊天可以引用哪些文档集</translation>
    </message>
    <message>
        <location filename="../../ui/chat/header.py" line="37"/>
        <source>New chat</source>
        <translation>新聊天</translation>
    </message>
    <message>
        <location filename="../../ui/chat/header.py" line="43"/>
        <source>Documents: none</source>
        <translation>文档：无</translation>
    </message>
    <message>
        <location filename="../../ui/chat/header.py" line="47"/>
        <source>Documents: %1 of %2</source>
        <translation>文档：%1 / %2</translation>
    </message>
    <message>
        <location filename="../../ui/chat/header.py" line="68"/>
        <source>Send a message first to choose for this chat</source>
        <translation>先发送一条消息，再为此聊天选择</translation>
    </message>
    <message>
        <location filename="../../ui/chat/header.py" line="72"/>
        <source>Manage documents…</source>
        <translation>管理文档…</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../../ui/chat/view.py" line="48"/>
        <location filename="../../ui/chat/view.py" line="81"/>
        <location filename="../../ui/chat/view.py" line="246"/>
        <source>Copy</source>
        <extracomment>Distance (px) from the bottom that still counts as &quot;at the bottom&quot;. How long a message found by search or a citation stays highlighted.
----------
Tool and fact cards between the messages; each has an ``anchor`` message id.</extracomment>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../ui/chat/view.py" line="56"/>
        <source>Start a conversation: type a message below.</source>
        <translation>开始对话：在下方输入消息。</translation>
    </message>
    <message>
        <location filename="../../ui/chat/view.py" line="249"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../../ui/chat/view.py" line="251"/>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
</context>
<context>
    <name>CitationDialog</name>
    <message>
        <location filename="../../ui/chat/cards.py" line="119"/>
        <source>Source [%1]</source>
        <translation>来源 [%1]</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="128"/>
        <source>page %1</source>
        <translation>第 %1 页</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="130"/>
        <source>section “%1”</source>
        <translation>章节“%1”</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="146"/>
        <source>Open file</source>
        <translation>打开文件</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="150"/>
        <source>The file is no longer there.</source>
        <translation>该文件已不存在。</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="153"/>
        <source>Open conversation</source>
        <translation>打开对话</translation>
    </message>
</context>
<context>
    <name>CollectionCard</name>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="89"/>
        <source>Use in new chats</source>
        <translation>在新聊天中使用</translation>
    </message>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="90"/>
        <source>Each chat can switch it on or off from its Documents menu.</source>
        <translation>每个聊天都可以在其“文档”菜单中开关它。</translation>
    </message>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="93"/>
        <source>Re-index</source>
        <translation>重新索引</translation>
    </message>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="94"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="119"/>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="119"/>
        <source>folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="124"/>
        <source>%1 of %2 files indexed</source>
        <translation>已索引 %1 / %2 个文件</translation>
    </message>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="127"/>
        <source>%1 passages</source>
        <translation>%1 个段落</translation>
    </message>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="129"/>
        <source>%1 waiting</source>
        <translation>%1 个等待中</translation>
    </message>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="132"/>
        <source>last indexed %1</source>
        <translation>上次索引于 %1</translation>
    </message>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="134"/>
        <source>not indexed yet</source>
        <translation>尚未索引</translation>
    </message>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="136"/>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="138"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="138"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="146"/>
        <source>Skipped files (%1)</source>
        <translation>跳过的文件（%1）</translation>
    </message>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="166"/>
        <source>%1 of %2 files</source>
        <translation>%1 / %2 个文件</translation>
    </message>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="171"/>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../ui/chat/composer.py" line="59"/>
        <source>Message the assistant (Enter to send, Shift+Enter for a new line)</source>
        <translation>给助手发消息（Enter 发送，Shift+Enter 换行）</translation>
    </message>
    <message>
        <location filename="../../ui/chat/composer.py" line="65"/>
        <location filename="../../ui/chat/composer.py" line="134"/>
        <location filename="../../ui/chat/composer.py" line="138"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location filename="../../ui/chat/composer.py" line="108"/>
        <source>Editing message — the chat continues from the edited text.</source>
        <translation>正在编辑消息——对话将从修改后的内容继续。</translation>
    </message>
    <message>
        <location filename="../../ui/chat/composer.py" line="109"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/chat/composer.py" line="130"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../ui/chat/composer.py" line="131"/>
        <source>Stop the reply (what was written is kept)</source>
        <translation>停止回复（已生成的内容会保留）</translation>
    </message>
    <message>
        <location filename="../../ui/chat/composer.py" line="139"/>
        <source>Send (Enter)</source>
        <translation>发送（Enter）</translation>
    </message>
</context>
<context>
    <name>ConnectionsTab</name>
    <message>
        <location filename="../../ui/models/connections_tab.py" line="45"/>
        <source>Use a model on another machine through an OpenAI-compatible server (vLLM, llama.cpp server, Ollama, LM Studio). Chats stay on this computer; the messages of a chat are sent to that server.</source>
        <translation>通过兼容 OpenAI 的服务器（vLLM、llama.cpp server、Ollama、LM Studio）使用另一台机器上的模型。对话保存在这台电脑上；对话中的消息会发送到该服务器。</translation>
    </message>
    <message>
        <location filename="../../ui/models/connections_tab.py" line="67"/>
        <source>Use this connection</source>
        <translation>使用此连接</translation>
    </message>
    <message>
        <location filename="../../ui/models/connections_tab.py" line="69"/>
        <source>Back to the local model</source>
        <translation>改回本地模型</translation>
    </message>
    <message>
        <location filename="../../ui/models/connections_tab.py" line="71"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../../ui/models/connections_tab.py" line="82"/>
        <source>Add a connection</source>
        <translation>添加连接</translation>
    </message>
    <message>
        <location filename="../../ui/models/connections_tab.py" line="85"/>
        <source>e.g. Office GPU server</source>
        <translation>例如：办公室 GPU 服务器</translation>
    </message>
    <message>
        <location filename="../../ui/models/connections_tab.py" line="91"/>
        <source>optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <location filename="../../ui/models/connections_tab.py" line="93"/>
        <source>e.g. Qwen/Qwen2.5-7B-Instruct or llama3</source>
        <translation>例如：Qwen/Qwen2.5-7B-Instruct 或 llama3</translation>
    </message>
    <message>
        <location filename="../../ui/models/connections_tab.py" line="98"/>
        <source> tokens</source>
        <translation> 个词元</translation>
    </message>
    <message>
        <location filename="../../ui/models/connections_tab.py" line="99"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../ui/models/connections_tab.py" line="100"/>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <location filename="../../ui/models/connections_tab.py" line="101"/>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location filename="../../ui/models/connections_tab.py" line="108"/>
        <source>Model name</source>
        <translation>模型名称</translation>
    </message>
    <message>
        <location filename="../../ui/models/connections_tab.py" line="109"/>
        <source>Context length</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <location filename="../../ui/models/connections_tab.py" line="110"/>
        <source>Add connection</source>
        <translation>添加连接</translation>
    </message>
    <message>
        <location filename="../../ui/models/connections_tab.py" line="139"/>
        <source>✓ In use: %1</source>
        <translation>✓ 使用中：%1</translation>
    </message>
    <message>
        <location filename="../../ui/models/connections_tab.py" line="204"/>
        <source>Added. Select it and press “Use this connection”.</source>
        <translation>已添加。选中它并点击“使用此连接”。</translation>
    </message>
    <message>
        <location filename="../../ui/models/connections_tab.py" line="221"/>
        <source>The next message goes to this server.</source>
        <translation>下一条消息将发送到此服务器。</translation>
    </message>
    <message>
        <location filename="../../ui/models/connections_tab.py" line="226"/>
        <source>Back to the local model.</source>
        <translation>已改回本地模型。</translation>
    </message>
    <message>
        <location filename="../../ui/models/connections_tab.py" line="240"/>
        <source>Connection removed.</source>
        <translation>连接已移除。</translation>
    </message>
    <message>
        <location filename="../../ui/models/connections_tab.py" line="118"/>
        <source>Send the API key over plain http</source>
        <translation>通过明文 http 发送 API 密钥</translation>
    </message>
    <message>
        <location filename="../../ui/models/connections_tab.py" line="119"/>
        <source>Over http the key travels unencrypted: anyone on the network can read it. Choose this only on a network you trust.</source>
        <translation>通过 http 发送时密钥不加密：网络上的任何人都能读取。只在你信任的网络中选择此项。</translation>
    </message>
    <message>
        <location filename="../../ui/models/connections_tab.py" line="163"/>
        <source>No system keyring is available, so API keys are kept in %1, a file only you can read. They are never stored in the database or its backups.</source>
        <translation>没有可用的系统密钥环，因此 API 密钥保存在 %1 中，这个文件只有你能读取。密钥从不存入数据库或其备份。</translation>
    </message>
    <message>
        <location filename="../../ui/models/connections_tab.py" line="192"/>
        <source>The API key would travel unencrypted over http. Use an https:// address, or tick “Send the API key over plain http” if you trust this network.</source>
        <translation>API 密钥将通过 http 不加密传输。请使用 https:// 地址；如果你信任这个网络，也可以勾选“通过明文 http 发送 API 密钥”。</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <location filename="../../ui/shell/dialogs.py" line="104"/>
        <source>Added %1. Open Models (Ctrl+Shift+M) to use it.</source>
        <extracomment>The folder watcher&apos;s indexing progress (a core thread), for the Documents panel. Injectable so tests serve the catalog from 127.0.0.1 over plain http.</extracomment>
        <translation>已添加 %1。打开“模型”（Ctrl+Shift+M）来使用它。</translation>
    </message>
    <message>
        <location filename="../../ui/shell/dialogs.py" line="131"/>
        <source>Agent</source>
        <translation>智能体</translation>
    </message>
    <message>
        <location filename="../../ui/shell/dialogs.py" line="156"/>
        <source>Could not change start at login: %1</source>
        <translation>无法更改登录时启动：%1</translation>
    </message>
    <message>
        <location filename="../../ui/shell/dialogs.py" line="230"/>
        <source>Diagnostics copied to the clipboard (no chat content).</source>
        <translation>诊断信息已复制到剪贴板（不含对话内容）。</translation>
    </message>
</context>
<context>
    <name>Documents</name>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="46"/>
        <source>about %1 s left</source>
        <translation>大约还剩 %1 秒</translation>
    </message>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="47"/>
        <source>about %1 min left</source>
        <translation>大约还剩 %1 分钟</translation>
    </message>
</context>
<context>
    <name>DocumentsDialog</name>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="182"/>
        <source>Documents</source>
        <translation>文档</translation>
    </message>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="189"/>
        <source>Add folder…</source>
        <extracomment>The collection the background watcher is indexing now (its events say which).</extracomment>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="190"/>
        <source>Add file…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="193"/>
        <source>The assistant answers from these with numbered citations. Formats: .txt, .md, .pdf, .docx, .html. Changes are picked up while the app runs.</source>
        <translation>助手会根据这些文档回答并附上编号引用。格式：.txt、.md、.pdf、.docx、.html。应用运行时会自动发现更改。</translation>
    </message>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="206"/>
        <source>No documents yet. Add a folder to get started.</source>
        <translation>还没有文档。添加一个文件夹开始吧。</translation>
    </message>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="256"/>
        <source>Add a folder</source>
        <translation>添加文件夹</translation>
    </message>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="263"/>
        <source>Add a file</source>
        <translation>添加文件</translation>
    </message>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="263"/>
        <source>Documents (%1)</source>
        <translation>文档 (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="292"/>
        <source>Waiting to start…</source>
        <translation>等待开始…</translation>
    </message>
    <message>
        <location filename="../../ui/documents/documents_dialog.py" line="322"/>
        <source>Paused at %1 of %2 files</source>
        <translation>已在第 %1 / %2 个文件处暂停</translation>
    </message>
</context>
<context>
    <name>DownloadRow</name>
    <message>
        <location filename="../../ui/models/catalog_tab.py" line="74"/>
        <source>yes</source>
        <extracomment>The progress bar works in thousandths: QProgressBar is int-based and models exceed 2**31 bytes.</extracomment>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../ui/models/catalog_tab.py" line="74"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../ui/models/catalog_tab.py" line="76"/>
        <source>Size %1 · Licence %2 · Needs %3 GB RAM, %4 GB VRAM for full GPU offload · Context %5 · Tool calling: %6</source>
        <translation>大小 %1 · 许可证 %2 · 需要 %3 GB 内存，完全 GPU 加速需 %4 GB 显存 · 上下文 %5 · 工具调用：%6</translation>
    </message>
    <message>
        <location filename="../../ui/models/catalog_tab.py" line="86"/>
        <source>Good at: %1</source>
        <translation>擅长：%1</translation>
    </message>
    <message>
        <location filename="../../ui/models/catalog_tab.py" line="125"/>
        <source>Bundled with the app</source>
        <translation>随应用附带</translation>
    </message>
    <message>
        <location filename="../../ui/models/catalog_tab.py" line="137"/>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <location filename="../../ui/models/catalog_tab.py" line="138"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../ui/models/catalog_tab.py" line="139"/>
        <source>Pausing…</source>
        <translation>正在暂停…</translation>
    </message>
    <message>
        <location filename="../../ui/models/catalog_tab.py" line="140"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../ui/models/catalog_tab.py" line="141"/>
        <source>Installed ✓</source>
        <translation>已安装 ✓</translation>
    </message>
    <message>
        <location filename="../../ui/models/catalog_tab.py" line="142"/>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../ui/models/catalog_tab.py" line="148"/>
        <source>Installed in %1</source>
        <translation>已安装到 %1</translation>
    </message>
    <message>
        <location filename="../../ui/models/catalog_tab.py" line="150"/>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../ui/models/catalog_tab.py" line="171"/>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location filename="../../ui/models/catalog_tab.py" line="193"/>
        <source>Connection problem; retrying in %1 s (attempt %2 of %3)…</source>
        <translation>连接出现问题；%1 秒后重试（第 %2 次，共 %3 次）…</translation>
    </message>
    <message>
        <location filename="../../ui/models/catalog_tab.py" line="200"/>
        <source>Checking the file…</source>
        <translation>正在校验文件…</translation>
    </message>
    <message>
        <location filename="../../ui/models/catalog_tab.py" line="203"/>
        <source> — paused</source>
        <translation> — 已暂停</translation>
    </message>
    <message>
        <location filename="../../ui/models/catalog_tab.py" line="232"/>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location filename="../../ui/models/catalog_tab.py" line="236"/>
        <source>%1/s</source>
        <translation>%1/秒</translation>
    </message>
    <message>
        <location filename="../../ui/models/catalog_tab.py" line="238"/>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
</context>
<context>
    <name>EmbedderRow</name>
    <message>
        <location filename="../../ui/models/embedder_tab.py" line="63"/>
        <source>Chinese, English and many more</source>
        <translation>中文、英文及多种其他语言</translation>
    </message>
    <message>
        <location filename="../../ui/models/embedder_tab.py" line="63"/>
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <location filename="../../ui/models/embedder_tab.py" line="65"/>
        <source>Languages: %1 · Size %2 · %3 dimensions · Licence %4</source>
        <translation>语言：%1 · 大小 %2 · %3 维 · 许可证 %4</translation>
    </message>
    <message>
        <location filename="../../ui/models/embedder_tab.py" line="112"/>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <location filename="../../ui/models/embedder_tab.py" line="112"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../ui/models/embedder_tab.py" line="112"/>
        <source>Pausing…</source>
        <translation>正在暂停…</translation>
    </message>
    <message>
        <location filename="../../ui/models/embedder_tab.py" line="113"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../ui/models/embedder_tab.py" line="113"/>
        <source>Use for search</source>
        <translation>用于搜索</translation>
    </message>
    <message>
        <location filename="../../ui/models/embedder_tab.py" line="113"/>
        <source>In use ✓</source>
        <translation>使用中 ✓</translation>
    </message>
    <message>
        <location filename="../../ui/models/embedder_tab.py" line="114"/>
        <source>Switching…</source>
        <translation>正在切换…</translation>
    </message>
    <message>
        <location filename="../../ui/models/embedder_tab.py" line="114"/>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../ui/models/embedder_tab.py" line="126"/>
        <source>Bundled with the app</source>
        <translation>随应用附带</translation>
    </message>
    <message>
        <location filename="../../ui/models/embedder_tab.py" line="129"/>
        <source>Downloaded; every file matched its published SHA-256</source>
        <translation>已下载；每个文件都与公布的 SHA-256 一致</translation>
    </message>
    <message>
        <location filename="../../ui/models/embedder_tab.py" line="130"/>
        <source>Downloaded; the weights matched their published SHA-256 (the small configuration files have none and were checked by size)</source>
        <translation>已下载；权重文件与公布的 SHA-256 一致（小的配置文件没有公布校验值，已按大小检查）</translation>
    </message>
    <message>
        <location filename="../../ui/models/embedder_tab.py" line="152"/>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location filename="../../ui/models/embedder_tab.py" line="167"/>
        <source>Checking the files…</source>
        <translation>正在检查文件…</translation>
    </message>
    <message>
        <location filename="../../ui/models/embedder_tab.py" line="192"/>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
</context>
<context>
    <name>EmbedderTab</name>
    <message>
        <location filename="../../ui/models/embedder_tab.py" line="212"/>
        <source>Search and recall compare the meaning of texts with an embedding model. Changing it computes new vectors for everything in the background; search keeps the current model until they are complete.</source>
        <translation>搜索和回忆通过嵌入模型比较文本的含义。更换模型后，会在后台为所有内容重新计算向量；在全部完成之前，搜索继续使用当前模型。</translation>
    </message>
    <message>
        <location filename="../../ui/models/embedder_tab.py" line="227"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/models/embedder_tab.py" line="262"/>
        <source>For Chinese text, %1 finds far more than the bundled English-only model (%2 download).</source>
        <translation>对于中文文本，%1 的搜索效果远好于自带的纯英文模型（需下载 %2）。</translation>
    </message>
    <message>
        <location filename="../../ui/models/embedder_tab.py" line="266"/>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <location filename="../../ui/models/embedder_tab.py" line="267"/>
        <source>Not now</source>
        <translation>暂不</translation>
    </message>
    <message>
        <location filename="../../ui/models/embedder_tab.py" line="306"/>
        <source>Switching to %1: %2 of %3 items have new vectors. Search uses the current model until they are all done.</source>
        <translation>正在切换到 %1：%3 条内容中已有 %2 条完成新向量。全部完成之前，搜索继续使用当前模型。</translation>
    </message>
    <message>
        <location filename="../../ui/models/embedder_tab.py" line="310"/>
        <source>Switching to %1 stopped: %2</source>
        <translation>切换到 %1 已停止：%2</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../ui/widgets/errors.py" line="19"/>
        <source>The model stopped unexpectedly. The reply so far is kept; your next message restarts the model.</source>
        <translation>模型意外停止。已生成的回复会保留；下一条消息会重新启动模型。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="24"/>
        <source>Could not save. Your text is kept in the box below.</source>
        <translation>无法保存。你的文字保留在下方的输入框中。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="25"/>
        <source>No model is available. Choose one on the Models page.</source>
        <translation>没有可用的模型。请在“模型”页面选择一个。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="26"/>
        <source>The model could not be loaded.</source>
        <translation>无法加载模型。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="27"/>
        <source>The model&apos;s chat template was refused.</source>
        <translation>模型的对话模板被拒绝。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="28"/>
        <source>The model took too long to answer.</source>
        <translation>模型响应时间过长。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="29"/>
        <source>The conversation is too long for the model&apos;s context.</source>
        <translation>对话太长，超出了模型的上下文。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="30"/>
        <source>The message cannot be sent as it is.</source>
        <translation>这条消息无法按原样发送。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="31"/>
        <source>The remote connection is not set up correctly.</source>
        <translation>远程连接设置不正确。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="32"/>
        <source>The remote server failed.</source>
        <translation>远程服务器出错。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="33"/>
        <source>The remote server sent an answer this app cannot read.</source>
        <translation>远程服务器返回了本应用无法读取的内容。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="35"/>
        <source>The download was corrupted (checksum mismatch) and was deleted.</source>
        <translation>下载的文件已损坏（校验和不匹配），已被删除。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="36"/>
        <source>The downloaded file is not a usable model.</source>
        <translation>下载的文件不是可用的模型。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="37"/>
        <source>The disk is full.</source>
        <translation>磁盘已满。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="38"/>
        <source>There is not enough free disk space for this model.</source>
        <translation>磁盘剩余空间不足以存放此模型。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="39"/>
        <source>The model could not be written to disk.</source>
        <translation>无法将模型写入磁盘。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="40"/>
        <source>The model file was not found on the server (404).</source>
        <translation>服务器上找不到模型文件（404）。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="41"/>
        <source>The server refused the download.</source>
        <translation>服务器拒绝了下载。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="42"/>
        <source>The server had a problem. Try again later.</source>
        <translation>服务器出现问题，请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="43"/>
        <source>No connection to the server (are you offline?).</source>
        <translation>无法连接到服务器（是否处于离线状态？）。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="44"/>
        <source>Refused: the download address is not secure (https).</source>
        <translation>已拒绝：下载地址不安全（需要 https）。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="45"/>
        <source>This model is already being downloaded.</source>
        <translation>此模型正在下载中。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="46"/>
        <source>The server sent more than the model&apos;s size; the download was stopped.</source>
        <translation>服务器发送的数据超过了模型的大小，下载已停止。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="49"/>
        <source>The server gave an unexpected answer.</source>
        <translation>服务器返回了意外的响应。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/errors.py" line="50"/>
        <source>Something unexpected went wrong.</source>
        <translation>发生了意外错误。</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../ui/chat/export_dialog.py" line="95"/>
        <location filename="../../ui/chat/export_dialog.py" line="215"/>
        <source>Export chats</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <location filename="../../ui/chat/export_dialog.py" line="128"/>
        <source>This chat: “%1”</source>
        <translation>当前对话：“%1”</translation>
    </message>
    <message>
        <location filename="../../ui/chat/export_dialog.py" line="129"/>
        <source>This chat</source>
        <translation>当前对话</translation>
    </message>
    <message>
        <location filename="../../ui/chat/export_dialog.py" line="131"/>
        <source>Open a chat first to export it alone.</source>
        <translation>请先打开一个对话，才能单独导出它。</translation>
    </message>
    <message>
        <location filename="../../ui/chat/export_dialog.py" line="132"/>
        <source>The %1 selected chats</source>
        <translation>选中的 %1 个对话</translation>
    </message>
    <message>
        <location filename="../../ui/chat/export_dialog.py" line="134"/>
        <source>All chats (%1)</source>
        <translation>全部对话（%1 个）</translation>
    </message>
    <message>
        <location filename="../../ui/chat/export_dialog.py" line="145"/>
        <source>Markdown: easy to read and share</source>
        <translation>Markdown：便于阅读和分享</translation>
    </message>
    <message>
        <location filename="../../ui/chat/export_dialog.py" line="146"/>
        <source>JSON: complete, can be imported again</source>
        <translation>JSON：内容完整，可以再次导入</translation>
    </message>
    <message>
        <location filename="../../ui/chat/export_dialog.py" line="160"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../ui/chat/export_dialog.py" line="108"/>
        <location filename="../../ui/chat/export_dialog.py" line="170"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../ui/chat/export_dialog.py" line="109"/>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <location filename="../../ui/chat/export_dialog.py" line="110"/>
        <source>Save to</source>
        <translation>保存到</translation>
    </message>
    <message>
        <location filename="../../ui/chat/export_dialog.py" line="172"/>
        <source>Show folder</source>
        <translation>打开所在文件夹</translation>
    </message>
    <message>
        <location filename="../../ui/chat/export_dialog.py" line="214"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../../ui/chat/export_dialog.py" line="214"/>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../ui/chat/export_dialog.py" line="227"/>
        <source>Choose a file to save to.</source>
        <translation>请选择要保存到的文件。</translation>
    </message>
    <message>
        <location filename="../../ui/chat/export_dialog.py" line="230"/>
        <source>The folder %1 does not exist.</source>
        <translation>文件夹 %1 不存在。</translation>
    </message>
    <message>
        <location filename="../../ui/chat/export_dialog.py" line="236"/>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <location filename="../../ui/chat/export_dialog.py" line="252"/>
        <source>Exported %1 (%2) to %3.</source>
        <translation>已将 %1（%2）导出到 %3。</translation>
    </message>
    <message>
        <location filename="../../ui/chat/export_dialog.py" line="261"/>
        <source>Could not export: %1</source>
        <translation>导出失败：%1</translation>
    </message>
</context>
<context>
    <name>FactCard</name>
    <message>
        <location filename="../../ui/chat/cards.py" line="356"/>
        <source>Remember this? “%1”</source>
        <translation>记住这一点吗？“%1”</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="359"/>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="360"/>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <location filename="../../ui/widgets/formatting.py" line="22"/>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/formatting.py" line="25"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/formatting.py" line="28"/>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/formatting.py" line="30"/>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
</context>
<context>
    <name>GpuLayersBox</name>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="62"/>
        <location filename="../../ui/models/installed_tab.py" line="68"/>
        <source>Global setting</source>
        <extracomment>(title, question) -&gt; yes? Injectable so tests never block on a modal box.</extracomment>
        <translation>全局设置</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="64"/>
        <location filename="../../ui/models/installed_tab.py" line="70"/>
        <source>Auto (as many as fit)</source>
        <translation>自动（尽可能多）</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="64"/>
        <source>Import chats</source>
        <extracomment>The progress bar&apos;s resolution.</extracomment>
        <translation>导入对话</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="78"/>
        <source>Reading %1…</source>
        <translation>正在读取 %1…</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="91"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="92"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="93"/>
        <source>New</source>
        <translation>新增</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="94"/>
        <source>Dates</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="95"/>
        <source>Already here</source>
        <translation>已存在</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="96"/>
        <source>Left out</source>
        <translation>未导入</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="105"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="144"/>
        <source>Could not read the file.</source>
        <translation>无法读取此文件。</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="148"/>
        <source>This file cannot be imported.</source>
        <translation>无法导入此文件。</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="151"/>
        <source>A ChatGPT export</source>
        <translation>ChatGPT 导出的数据</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="152"/>
        <source>An export of Offline Assistant</source>
        <translation>离线助手导出的数据</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="156"/>
        <source>%1 (left as they are)</source>
        <translation>%1（保持不变）</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="162"/>
        <source>Import these chats? Nothing has been written yet.</source>
        <translation>要导入这些对话吗？目前还没有写入任何内容。</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="167"/>
        <source>Nothing new to import: every chat in this file is already here.</source>
        <translation>没有可导入的新内容：此文件中的对话都已存在。</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="193"/>
        <source>Importing… sending messages is paused until it finishes.</source>
        <translation>正在导入…导入完成前暂停发送消息。</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="205"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="218"/>
        <source>%p% · %1</source>
        <translation>%p% · %1</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="226"/>
        <source>Imported %1 with %2.</source>
        <translation>已导入 %1，共 %2。</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="231"/>
        <source>Already here, left as they were: %1.</source>
        <translation>已存在并保持不变：%1。</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="234"/>
        <source>Left out: %1</source>
        <translation>未导入：%1</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="237"/>
        <source>They can be searched by words now; recall finds them once they are embedded in the background (%1 items waiting).</source>
        <translation>现在即可按关键词搜索；后台完成向量化后，回忆功能也能找到它们（还有 %1 项等待处理）。</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="239"/>
        <source>They can be searched and recalled like any other chat.</source>
        <translation>它们可以像其他对话一样被搜索和回忆。</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="244"/>
        <location filename="../../ui/chat/import_dialog.py" line="255"/>
        <source>Import cancelled; nothing was imported.</source>
        <translation>导入已取消，没有导入任何内容。</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="246"/>
        <source>The import failed; nothing was imported.</source>
        <translation>导入失败，没有导入任何内容。</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="272"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="276"/>
        <source>%1, %2</source>
        <translation>%1，%2</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="280"/>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="282"/>
        <source>%1 to %2</source>
        <translation>%1 至 %2</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="286"/>
        <source>system messages</source>
        <translation>系统消息</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="287"/>
        <source>tool messages</source>
        <translation>工具消息</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="288"/>
        <source>hidden messages</source>
        <translation>隐藏的消息</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="289"/>
        <source>messages with an unknown role</source>
        <translation>角色未知的消息</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="290"/>
        <source>messages of a type this app cannot show</source>
        <translation>本应用无法显示的消息类型</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="291"/>
        <source>empty messages</source>
        <translation>空消息</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="292"/>
        <source>chats with no messages</source>
        <translation>没有消息的对话</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="293"/>
        <source>chats that appear twice in the file</source>
        <translation>文件中重复出现的对话</translation>
    </message>
    <message>
        <location filename="../../ui/chat/import_dialog.py" line="295"/>
        <source>, </source>
        <translation>；</translation>
    </message>
</context>
<context>
    <name>InstalledTab</name>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="105"/>
        <source>Add model file…</source>
        <translation>添加模型文件…</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="107"/>
        <source>Remove…</source>
        <translation>移除…</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="111"/>
        <source>Tip: drop a .gguf file on the window to add it.</source>
        <translation>提示：把 .gguf 文件拖到窗口上即可添加。</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="143"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="143"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="143"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="144"/>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="144"/>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="145"/>
        <source>Quantisation</source>
        <translation>量化</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="145"/>
        <source>File size</source>
        <translation>文件大小</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="146"/>
        <source>Trained context</source>
        <translation>训练上下文</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="146"/>
        <source>Chat template</source>
        <translation>对话模板</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="147"/>
        <source>Tool calling</source>
        <translation>工具调用</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="127"/>
        <location filename="../../ui/models/installed_tab.py" line="260"/>
        <source>Use this model</source>
        <translation>使用此模型</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="158"/>
        <source>Defaults for this model</source>
        <translation>此模型的默认设置</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="163"/>
        <location filename="../../ui/models/installed_tab.py" line="169"/>
        <source>Global setting</source>
        <translation>全局设置</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="171"/>
        <source>Empty: use the global system prompt</source>
        <translation>留空：使用全局系统提示词</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="173"/>
        <source>Context length</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="174"/>
        <source>GPU layers</source>
        <translation>GPU 层数</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="175"/>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="176"/>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="177"/>
        <source>Save defaults</source>
        <translation>保存默认设置</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="207"/>
        <source>✓ %1 (in use)</source>
        <translation>✓ %1（使用中）</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="243"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="243"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="244"/>
        <source>Bundled starter model</source>
        <translation>内置入门模型</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="244"/>
        <source>Downloaded</source>
        <translation>已下载</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="245"/>
        <source>Added from disk</source>
        <translation>从磁盘添加</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="254"/>
        <source>%1 tokens</source>
        <translation>%1 个词元</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="257"/>
        <source>This model file is damaged or missing: %1</source>
        <translation>此模型文件已损坏或丢失：%1</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="260"/>
        <source>In use</source>
        <translation>使用中</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="270"/>
        <source>Unset fields use the global settings.</source>
        <translation>未设置的项使用全局设置。</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="282"/>
        <source>Add a model</source>
        <translation>添加模型</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="282"/>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>GGUF 模型 (*.gguf);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="301"/>
        <source>Added %1. Select it and press “Use this model”.</source>
        <translation>已添加 %1。选中它并点击“使用此模型”。</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="311"/>
        <source>Remove %1 from the library?

A model downloaded into the app&apos;s models folder is deleted from disk; a file you added from elsewhere is only forgotten (the file stays).</source>
        <translation>要从模型库中移除 %1 吗？

下载到应用模型文件夹中的模型会从磁盘删除；从其他位置添加的文件只会从列表中移除（文件本身保留）。</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="314"/>
        <source>Remove model</source>
        <translation>移除模型</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="340"/>
        <source>%1 will answer from the next message on.</source>
        <translation>从下一条消息开始由 %1 回答。</translation>
    </message>
    <message>
        <location filename="../../ui/models/installed_tab.py" line="364"/>
        <source>Saved. They apply from the next message.</source>
        <translation>已保存，从下一条消息开始生效。</translation>
    </message>
</context>
<context>
    <name>LocalApiPage</name>
    <message>
        <location filename="../../ui/settings/local_api_page.py" line="50"/>
        <source>Serve an OpenAI-compatible API on this computer (127.0.0.1)</source>
        <translation>在本机（127.0.0.1）提供兼容 OpenAI 的 API</translation>
    </message>
    <message>
        <location filename="../../ui/settings/local_api_page.py" line="53"/>
        <source>Editors, scripts and other programs on this computer can then use the assistant&apos;s model as if it were OpenAI&apos;s API. Other computers cannot reach it, and each program needs the token.</source>
        <translation>开启后，本机上的编辑器、脚本等程序可以像调用 OpenAI API 一样使用助手的模型。其他电脑无法访问，每个程序都需要下面的令牌。</translation>
    </message>
    <message>
        <location filename="../../ui/settings/local_api_page.py" line="92"/>
        <location filename="../../ui/settings/local_api_page.py" line="111"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../ui/settings/local_api_page.py" line="93"/>
        <source>Copy the URL</source>
        <translation>复制地址</translation>
    </message>
    <message>
        <location filename="../../ui/settings/local_api_page.py" line="94"/>
        <source>URL copied.</source>
        <translation>地址已复制。</translation>
    </message>
    <message>
        <location filename="../../ui/settings/local_api_page.py" line="108"/>
        <location filename="../../ui/settings/local_api_page.py" line="138"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../../ui/settings/local_api_page.py" line="112"/>
        <source>Copy the token</source>
        <translation>复制令牌</translation>
    </message>
    <message>
        <location filename="../../ui/settings/local_api_page.py" line="113"/>
        <source>Token copied.</source>
        <translation>令牌已复制。</translation>
    </message>
    <message>
        <location filename="../../ui/settings/local_api_page.py" line="114"/>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <location filename="../../ui/settings/local_api_page.py" line="115"/>
        <source>Make a new token at once; programs using the old one are refused until they get the new one.</source>
        <translation>立即生成新令牌；仍在使用旧令牌的程序会被拒绝，直到换成新令牌。</translation>
    </message>
    <message>
        <location filename="../../ui/settings/local_api_page.py" line="59"/>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <location filename="../../ui/settings/local_api_page.py" line="60"/>
        <source>URL</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../ui/settings/local_api_page.py" line="61"/>
        <source>Token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <location filename="../../ui/settings/local_api_page.py" line="66"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../ui/settings/local_api_page.py" line="129"/>
        <source>Local API</source>
        <translation>本地 API</translation>
    </message>
    <message>
        <location filename="../../ui/settings/local_api_page.py" line="138"/>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <location filename="../../ui/settings/local_api_page.py" line="146"/>
        <source>Programs using the current token will be refused until you give them the new one. Make a new token now?</source>
        <translation>使用当前令牌的程序将被拒绝，直到你把新令牌提供给它们。现在生成新令牌吗？</translation>
    </message>
    <message>
        <location filename="../../ui/settings/local_api_page.py" line="148"/>
        <source>New API token</source>
        <translation>新的 API 令牌</translation>
    </message>
    <message>
        <location filename="../../ui/settings/local_api_page.py" line="153"/>
        <source>New token made. Give it to the programs that use the API.</source>
        <translation>已生成新令牌。请把它提供给使用该 API 的程序。</translation>
    </message>
    <message>
        <location filename="../../ui/settings/local_api_page.py" line="158"/>
        <source>Off.</source>
        <translation>已关闭。</translation>
    </message>
    <message>
        <location filename="../../ui/settings/local_api_page.py" line="159"/>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location filename="../../ui/settings/local_api_page.py" line="160"/>
        <source>Running at %1</source>
        <translation>正在运行：%1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/shell/window.py" line="64"/>
        <source>Offline Assistant</source>
        <extracomment>How long quitting waits for a preload (a model load cannot be interrupted) before closing.</extracomment>
        <translation>离线助手</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="65"/>
        <source>&amp;File</source>
        <extracomment>Where a shortcut works: anywhere in the window, or only while the chat list has focus.</extracomment>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="75"/>
        <source>&amp;New chat</source>
        <translation>新建对话(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="77"/>
        <source>&amp;Rename chat</source>
        <translation>重命名对话(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="80"/>
        <source>&amp;Delete chat</source>
        <translation>删除对话(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="82"/>
        <source>&amp;Export chats…</source>
        <translation>导出对话(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="84"/>
        <source>&amp;Import chats…</source>
        <translation>导入对话(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="86"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="66"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="89"/>
        <source>&amp;Find chat…</source>
        <translation>查找对话(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="91"/>
        <source>Focus the &amp;message box</source>
        <translation>转到消息输入框(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="93"/>
        <source>&amp;Search messages…</source>
        <translation>搜索消息(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="95"/>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="67"/>
        <source>&amp;Chat</source>
        <translation>对话(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="98"/>
        <source>S&amp;top reply</source>
        <translation>停止回复(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="100"/>
        <source>&amp;Regenerate last reply</source>
        <translation>重新生成上一条回复(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="102"/>
        <source>&amp;Copy last reply</source>
        <translation>复制上一条回复(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="104"/>
        <source>Ne&amp;xt chat</source>
        <translation>下一个对话(&amp;X)</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="106"/>
        <source>&amp;Previous chat</source>
        <translation>上一个对话(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="68"/>
        <source>&amp;Models</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="109"/>
        <source>&amp;Models and downloads…</source>
        <translation>模型与下载(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="111"/>
        <source>&amp;Add a model file…</source>
        <translation>添加模型文件(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="113"/>
        <source>&amp;Remote engines…</source>
        <translation>远程引擎(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="69"/>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="116"/>
        <source>&amp;Agenda…</source>
        <translation>日程(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="118"/>
        <source>&amp;Memory…</source>
        <translation>记忆(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="120"/>
        <source>&amp;Documents…</source>
        <translation>文档(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="70"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="123"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="125"/>
        <source>Copy &amp;diagnostics</source>
        <translation>复制诊断信息(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../ui/shell/commands.py" line="127"/>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
</context>
<context>
    <name>MemoryDialog</name>
    <message>
        <location filename="../../ui/memory/memory_dialog.py" line="48"/>
        <location filename="../../ui/memory/memory_dialog.py" line="222"/>
        <source>Memory</source>
        <translation>记忆</translation>
    </message>
    <message>
        <location filename="../../ui/memory/memory_dialog.py" line="53"/>
        <source>Use memory: save facts I ask for and recall earlier chats</source>
        <translation>使用记忆：保存我要求记住的事实，并回忆以前的聊天</translation>
    </message>
    <message>
        <location filename="../../ui/memory/memory_dialog.py" line="56"/>
        <source>Recall earlier conversations in replies</source>
        <translation>在回复中回忆以前的对话</translation>
    </message>
    <message>
        <location filename="../../ui/memory/memory_dialog.py" line="60"/>
        <source>Memory is off: nothing new is saved and nothing is recalled. Saved facts stay until you delete them.</source>
        <translation>记忆已关闭：不会保存新内容，也不会回忆。已保存的事实会保留，直到你删除。</translation>
    </message>
    <message>
        <location filename="../../ui/memory/memory_dialog.py" line="86"/>
        <source>Fact</source>
        <translation>事实</translation>
    </message>
    <message>
        <location filename="../../ui/memory/memory_dialog.py" line="86"/>
        <source>Learned</source>
        <translation>记录时间</translation>
    </message>
    <message>
        <location filename="../../ui/memory/memory_dialog.py" line="86"/>
        <source>Where</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../ui/memory/memory_dialog.py" line="86"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../ui/memory/memory_dialog.py" line="67"/>
        <source>No facts yet. Say “Remember that …” in a chat, or approve one the assistant proposes.</source>
        <translation>还没有事实。在聊天中说“记住……”，或批准助手提议的内容。</translation>
    </message>
    <message>
        <location filename="../../ui/memory/memory_dialog.py" line="105"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../../ui/memory/memory_dialog.py" line="106"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../ui/memory/memory_dialog.py" line="107"/>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <location filename="../../ui/memory/memory_dialog.py" line="108"/>
        <source>Open conversation</source>
        <translation>打开对话</translation>
    </message>
    <message>
        <location filename="../../ui/memory/memory_dialog.py" line="117"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/memory/memory_dialog.py" line="155"/>
        <source>(deleted chat)</source>
        <translation>（已删除的聊天）</translation>
    </message>
    <message>
        <location filename="../../ui/memory/memory_dialog.py" line="157"/>
        <source>added here</source>
        <translation>在此添加</translation>
    </message>
    <message>
        <location filename="../../ui/memory/memory_dialog.py" line="158"/>
        <source>proposed — approve?</source>
        <translation>提议——是否批准？</translation>
    </message>
    <message>
        <location filename="../../ui/memory/memory_dialog.py" line="158"/>
        <source>saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <location filename="../../ui/memory/memory_dialog.py" line="164"/>
        <source>Double-click to open this conversation</source>
        <translation>双击打开此对话</translation>
    </message>
</context>
<context>
    <name>MessageWidget</name>
    <message>
        <location filename="../../ui/chat/message_widget.py" line="85"/>
        <source>You</source>
        <extracomment>The row that aligns it in the view (right for the user); set by the ChatView showing it. Reference material given to the model for this reply ([n] markers link to it). While the reply streams: finished blocks in their own labels (ui/chat/stream_body.py).</extracomment>
        <translation>你</translation>
    </message>
    <message>
        <location filename="../../ui/chat/message_widget.py" line="85"/>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <location filename="../../ui/chat/message_widget.py" line="89"/>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../../ui/chat/message_widget.py" line="90"/>
        <source>Interrupted — the model stopped unexpectedly</source>
        <translation>已中断——模型意外停止</translation>
    </message>
    <message>
        <location filename="../../ui/chat/message_widget.py" line="91"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../ui/chat/message_widget.py" line="92"/>
        <source>Writing…</source>
        <translation>正在输入…</translation>
    </message>
</context>
<context>
    <name>ModelFiles</name>
    <message>
        <location filename="../../ui/models/model_files.py" line="39"/>
        <source>Add a model</source>
        <translation>添加模型</translation>
    </message>
    <message>
        <location filename="../../ui/models/model_files.py" line="40"/>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型 (*.gguf)</translation>
    </message>
</context>
<context>
    <name>ModelsDialog</name>
    <message>
        <location filename="../../ui/models/models_dialog.py" line="39"/>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../ui/models/models_dialog.py" line="47"/>
        <source>Installed</source>
        <translation>已安装</translation>
    </message>
    <message>
        <location filename="../../ui/models/models_dialog.py" line="48"/>
        <source>Catalog</source>
        <translation>模型目录</translation>
    </message>
    <message>
        <location filename="../../ui/models/models_dialog.py" line="49"/>
        <source>Remote engines</source>
        <translation>远程引擎</translation>
    </message>
    <message>
        <location filename="../../ui/models/models_dialog.py" line="50"/>
        <source>Search model</source>
        <translation>搜索模型</translation>
    </message>
</context>
<context>
    <name>ReminderBanner</name>
    <message>
        <location filename="../../ui/agenda/reminders.py" line="128"/>
        <source>Snoozed reminder</source>
        <translation>稍后提醒</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/reminders.py" line="128"/>
        <source>Reminder</source>
        <translation>提醒</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/reminders.py" line="136"/>
        <source>Snooze</source>
        <translation>稍后提醒</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/reminders.py" line="139"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/reminders.py" line="144"/>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>ReminderCenter</name>
    <message>
        <location filename="../../ui/agenda/reminders.py" line="245"/>
        <source>Reminder</source>
        <translation>提醒</translation>
    </message>
</context>
<context>
    <name>ReminderEditDialog</name>
    <message>
        <location filename="../../ui/agenda/reminder_edit_dialog.py" line="70"/>
        <source>Edit reminder</source>
        <translation>编辑提醒</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/reminder_edit_dialog.py" line="70"/>
        <source>New reminder</source>
        <translation>新建提醒</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/reminder_edit_dialog.py" line="73"/>
        <source>What, e.g. call mum</source>
        <translation>内容，例如：给妈妈打电话</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/reminder_edit_dialog.py" line="75"/>
        <source>When, in your words: tomorrow at 9, every weekday at 8…</source>
        <translation>时间，用你的话说：明天 9 点、每个工作日 8 点……</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/reminder_edit_dialog.py" line="79"/>
        <source>Reminder (notifies)</source>
        <translation>提醒（会通知）</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/reminder_edit_dialog.py" line="80"/>
        <source>Event (agenda only)</source>
        <translation>事件（仅在日程中）</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/reminder_edit_dialog.py" line="84"/>
        <source>As typed / unchanged</source>
        <translation>按输入 / 不变</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/reminder_edit_dialog.py" line="85"/>
        <source>Does not repeat</source>
        <translation>不重复</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/reminder_edit_dialog.py" line="86"/>
        <source>Every day</source>
        <translation>每天</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/reminder_edit_dialog.py" line="87"/>
        <source>Every weekday</source>
        <translation>每个工作日</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/reminder_edit_dialog.py" line="88"/>
        <source>Every week</source>
        <translation>每周</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/reminder_edit_dialog.py" line="89"/>
        <source>Every month</source>
        <translation>每月</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/reminder_edit_dialog.py" line="95"/>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/reminder_edit_dialog.py" line="96"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/reminder_edit_dialog.py" line="97"/>
        <source>Repeats</source>
        <translation>重复</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/reminder_edit_dialog.py" line="98"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/reminder_edit_dialog.py" line="99"/>
        <source>Will be saved as</source>
        <translation>将保存为</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/reminder_edit_dialog.py" line="121"/>
        <source>Did you mean: %1?</source>
        <translation>你是指：%1？</translation>
    </message>
</context>
<context>
    <name>ReminderPopup</name>
    <message>
        <location filename="../../ui/agenda/reminders.py" line="157"/>
        <source>Reminder</source>
        <translation>提醒</translation>
    </message>
</context>
<context>
    <name>Reminders</name>
    <message>
        <location filename="../../ui/agenda/reminders.py" line="108"/>
        <source>10 minutes</source>
        <translation>10 分钟</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/reminders.py" line="109"/>
        <source>1 hour</source>
        <translation>1 小时</translation>
    </message>
    <message>
        <location filename="../../ui/agenda/reminders.py" line="110"/>
        <source>Tomorrow morning (09:00)</source>
        <translation>明天早上（09:00）</translation>
    </message>
</context>
<context>
    <name>SearchDialog</name>
    <message>
        <location filename="../../ui/search/search_dialog.py" line="67"/>
        <source>Search messages</source>
        <translation>搜索消息</translation>
    </message>
    <message>
        <location filename="../../ui/search/search_dialog.py" line="74"/>
        <source>Search all conversations by meaning or words…</source>
        <translation>按含义或字词搜索所有对话…</translation>
    </message>
    <message>
        <location filename="../../ui/search/search_dialog.py" line="77"/>
        <source>Chats</source>
        <translation>聊天</translation>
    </message>
    <message>
        <location filename="../../ui/search/search_dialog.py" line="78"/>
        <source>Documents</source>
        <translation>文档</translation>
    </message>
    <message>
        <location filename="../../ui/search/search_dialog.py" line="79"/>
        <source>Saved facts</source>
        <translation>已保存的事实</translation>
    </message>
    <message>
        <location filename="../../ui/search/search_dialog.py" line="80"/>
        <source>Everything</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../ui/search/search_dialog.py" line="81"/>
        <location filename="../../ui/search/search_dialog.py" line="113"/>
        <source>Type to search.</source>
        <translation>输入以搜索。</translation>
    </message>
    <message>
        <location filename="../../ui/search/search_dialog.py" line="120"/>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <location filename="../../ui/search/search_dialog.py" line="130"/>
        <source>Search failed: %1</source>
        <translation>搜索失败：%1</translation>
    </message>
    <message>
        <location filename="../../ui/search/search_dialog.py" line="150"/>
        <source>Nothing found.</source>
        <translation>未找到。</translation>
    </message>
    <message>
        <location filename="../../ui/search/search_dialog.py" line="152"/>
        <source>%1 results</source>
        <translation>%1 个结果</translation>
    </message>
    <message>
        <location filename="../../ui/search/search_dialog.py" line="172"/>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <location filename="../../ui/search/search_dialog.py" line="172"/>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <location filename="../../ui/search/search_dialog.py" line="177"/>
        <source>Saved fact</source>
        <translation>已保存的事实</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="56"/>
        <source>Settings</source>
        <extracomment>(stored value, native name); &quot;&quot; follows the system locale.</extracomment>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="103"/>
        <source>not installed</source>
        <translation>未安装</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="104"/>
        <source>Bundled starter model (%1)</source>
        <translation>内置入门模型（%1）</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="105"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="107"/>
        <source>Use starter</source>
        <translation>使用入门模型</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="108"/>
        <source>Use the bundled starter model</source>
        <translation>使用内置的入门模型</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="85"/>
        <source>Model file</source>
        <translation>模型文件</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="118"/>
        <source> tokens</source>
        <translation> 个词元</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="119"/>
        <source>Context length</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="122"/>
        <source>Auto (%1 physical cores)</source>
        <translation>自动（%1 个物理核心）</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="124"/>
        <source>CPU threads</source>
        <translation>CPU 线程数</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="126"/>
        <source>Auto (as many as fit in GPU memory)</source>
        <translation>自动（按显存能容纳的最多层数）</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="127"/>
        <source>Layers offloaded to the GPU; 0 runs on the CPU only</source>
        <translation>卸载到 GPU 的层数；0 表示只用 CPU 运行</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="128"/>
        <source>GPU layers</source>
        <translation>GPU 层数</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="130"/>
        <source> MB</source>
        <translation> MB</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="131"/>
        <source>No limit</source>
        <translation>不限制</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="132"/>
        <source>GPU memory limit</source>
        <translation>显存上限</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="138"/>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="140"/>
        <source>Max reply length</source>
        <translation>最大回复长度</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="87"/>
        <source>Model, context, thread and GPU changes apply to the next message. Each model can override them on the Models page.</source>
        <translation>模型、上下文、线程和 GPU 的更改从下一条消息开始生效。每个模型可以在“模型”页面中覆盖这些设置。</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="93"/>
        <source>Decided when the model loads.</source>
        <translation>在加载模型时决定。</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="97"/>
        <source>Backend</source>
        <translation>后端</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="63"/>
        <source>Model</source>
        <extracomment>None: start-at-login is not available on this platform (the option is hidden).</extracomment>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="147"/>
        <source>System prompt for all chats</source>
        <translation>所有对话的系统提示词</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="150"/>
        <source>System prompt for this chat (empty: use the one above)</source>
        <translation>本对话的系统提示词（留空则使用上面的）</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="154"/>
        <source>Open or start a chat to set its own prompt.</source>
        <translation>打开或开始一个对话后，才能为它单独设置提示词。</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="64"/>
        <source>Prompts</source>
        <translation>提示词</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="162"/>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="65"/>
        <location filename="../../ui/settings/settings_dialog.py" line="167"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="168"/>
        <source>A new language applies after a restart.</source>
        <translation>更改语言后需重新启动才会生效。</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="176"/>
        <source>Start Offline Assistant when I log in (in the tray)</source>
        <translation>登录时启动离线助手（在托盘中）</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="181"/>
        <source>Closing the window keeps the app in the system tray, so reminders still fire. Quit it from the tray menu or with Ctrl+Q.</source>
        <translation>关闭窗口后应用会留在系统托盘中，提醒仍会按时弹出。可从托盘菜单或按 Ctrl+Q 退出。</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="66"/>
        <source>Desktop</source>
        <translation>桌面</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="195"/>
        <source>Choose a model</source>
        <translation>选择模型</translation>
    </message>
    <message>
        <location filename="../../ui/settings/settings_dialog.py" line="195"/>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型 (*.gguf)</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../../ui/shell/help_dialogs.py" line="59"/>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location filename="../../ui/shell/help_dialogs.py" line="62"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../ui/shell/help_dialogs.py" line="62"/>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <location filename="../../ui/shell/help_dialogs.py" line="74"/>
        <source>A system-wide “new chat” key: Qt apps cannot grab global hotkeys, so bind a key in your desktop&apos;s keyboard settings to the command &lt;b&gt;%1&lt;/b&gt; (or to the “New chat” action of the app&apos;s menu entry). It opens a new chat in the running window, or starts the app.</source>
        <translation>全局“新建对话”快捷键：Qt 应用无法注册系统级热键，请在桌面环境的键盘设置中把某个按键绑定到命令 &lt;b&gt;%1&lt;/b&gt;（或应用菜单项的“新建对话”动作）。它会在正在运行的窗口中打开新对话，或启动应用。</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <location filename="../../ui/chat/sidebar.py" line="54"/>
        <source>New chat</source>
        <extracomment>How long the &quot;Chat deleted — Undo&quot; bar stays up. Export several chats at once (the ids of a Ctrl/Shift-click selection). While an import holds the database, renaming and deleting would make the GUI thread wait for its lock, so they are switched off until it ends.</extracomment>
        <translation>新建对话</translation>
    </message>
    <message>
        <location filename="../../ui/chat/sidebar.py" line="58"/>
        <source>Filter by title</source>
        <translation>按标题筛选</translation>
    </message>
    <message>
        <location filename="../../ui/chat/sidebar.py" line="129"/>
        <source>Deleted “%1”.</source>
        <translation>已删除“%1”。</translation>
    </message>
    <message>
        <location filename="../../ui/chat/sidebar.py" line="129"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../ui/chat/sidebar.py" line="159"/>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <location filename="../../ui/chat/sidebar.py" line="162"/>
        <source>Export %1 selected chats…</source>
        <translation>导出选中的 %1 个对话…</translation>
    </message>
    <message>
        <location filename="../../ui/chat/sidebar.py" line="165"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../ui/chat/sidebar.py" line="167"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <location filename="../../ui/app/startup.py" line="42"/>
        <source>Offline Assistant — database damaged</source>
        <extracomment>lupdate reads translate(&quot;Context&quot;, &quot;text&quot;) calls by name, so this alias is still extracted. (exception) -&gt; RESTORE | FRESH | QUIT (level &quot;info&quot; | &quot;error&quot;, text) -&gt; None</extracomment>
        <translation>离线助手 — 数据库已损坏</translation>
    </message>
    <message>
        <location filename="../../ui/app/startup.py" line="43"/>
        <source>Your chat database could not be opened because it is damaged.</source>
        <translation>对话数据库已损坏，无法打开。</translation>
    </message>
    <message>
        <location filename="../../ui/app/startup.py" line="45"/>
        <source>Problem: %1
File: %2

Whatever you choose, the damaged file is kept (renamed), never deleted.</source>
        <translation>问题：%1
文件：%2

无论你选择哪一项，损坏的文件都会被保留（重命名），绝不会删除。</translation>
    </message>
    <message>
        <location filename="../../ui/app/startup.py" line="57"/>
        <source>Restore latest backup (from %1)</source>
        <translation>恢复最新备份（%1）</translation>
    </message>
    <message>
        <location filename="../../ui/app/startup.py" line="63"/>
        <source>Start fresh (keep the damaged file)</source>
        <translation>重新开始（保留损坏的文件）</translation>
    </message>
    <message>
        <location filename="../../ui/app/startup.py" line="66"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../ui/app/startup.py" line="80"/>
        <source>Offline Assistant</source>
        <translation>离线助手</translation>
    </message>
    <message>
        <location filename="../../ui/app/startup.py" line="106"/>
        <source>Could not set the damaged database aside: %1</source>
        <translation>无法移开损坏的数据库：%1</translation>
    </message>
    <message>
        <location filename="../../ui/app/startup.py" line="114"/>
        <source>The app was upgraded but its database could not be updated.

%1</source>
        <translation>应用已升级，但其数据库未能更新。

%1</translation>
    </message>
    <message>
        <location filename="../../ui/app/startup.py" line="121"/>
        <source>Offline Assistant cannot start: %1</source>
        <translation>离线助手无法启动：%1</translation>
    </message>
    <message>
        <location filename="../../ui/app/startup.py" line="125"/>
        <source>The database is still damaged after recovery; the app cannot start.</source>
        <translation>恢复后数据库仍然损坏；应用无法启动。</translation>
    </message>
</context>
<context>
    <name>ToolCard</name>
    <message>
        <location filename="../../ui/chat/cards.py" line="218"/>
        <source>Show the arguments and the result</source>
        <translation>显示参数和结果</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="240"/>
        <source>Allow once</source>
        <translation>允许一次</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="242"/>
        <source>Always allow this tool</source>
        <translation>始终允许此工具</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="243"/>
        <source>Deny</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="272"/>
        <source>The assistant wants to:</source>
        <translation>助手想要：</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="275"/>
        <source>This goes online.</source>
        <translation>这会联网。</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="277"/>
        <source>Actions like this one are confirmed every time.</source>
        <translation>此类操作每次都需要你确认。</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="319"/>
        <source>running…</source>
        <translation>运行中…</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="320"/>
        <source>waiting for your answer</source>
        <translation>等待你的回答</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="321"/>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="322"/>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="323"/>
        <source>not allowed</source>
        <translation>未允许</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="324"/>
        <source>timed out</source>
        <translation>超时</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="339"/>
        <source>Arguments:</source>
        <translation>参数：</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="339"/>
        <source>Tool:</source>
        <translation>工具：</translation>
    </message>
    <message>
        <location filename="../../ui/chat/cards.py" line="341"/>
        <source>Result:</source>
        <translation>结果：</translation>
    </message>
</context>
<context>
    <name>Transfer</name>
    <message>
        <location filename="../../ui/chat/export_dialog.py" line="40"/>
        <source>1 chat</source>
        <extracomment>Format key (as export_conversations takes it) -&gt; file suffix.</extracomment>
        <translation>1 个对话</translation>
    </message>
    <message>
        <location filename="../../ui/chat/export_dialog.py" line="41"/>
        <source>%1 chats</source>
        <translation>%1 个对话</translation>
    </message>
    <message>
        <location filename="../../ui/chat/export_dialog.py" line="46"/>
        <source>1 message</source>
        <translation>1 条消息</translation>
    </message>
    <message>
        <location filename="../../ui/chat/export_dialog.py" line="47"/>
        <source>%1 messages</source>
        <translation>%1 条消息</translation>
    </message>
</context>
<context>
    <name>TransferController</name>
    <message>
        <location filename="../../ui/chat/transfer.py" line="86"/>
        <source>Import chats</source>
        <extracomment>How long quitting waits for a cancelled import to roll back.</extracomment>
        <translation>导入对话</translation>
    </message>
    <message>
        <location filename="../../ui/chat/transfer.py" line="87"/>
        <source>Chat exports (*.json *.zip);;All files (*)</source>
        <translation>对话导出文件 (*.json *.zip);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../ui/chat/transfer.py" line="112"/>
        <source>A reply is being written. Stop it or wait for it, then import.</source>
        <translation>正在生成回复。请先停止或等它完成，再导入。</translation>
    </message>
    <message>
        <location filename="../../ui/chat/transfer.py" line="116"/>
        <source>Importing chats… sending is paused until the import finishes.</source>
        <translation>正在导入对话…导入完成前暂停发送。</translation>
    </message>
    <message>
        <location filename="../../ui/chat/transfer.py" line="135"/>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../ui/chat/transfer.py" line="139"/>
        <source>Imported %1.</source>
        <translation>已导入 %1。</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <location filename="../../ui/app/tray.py" line="38"/>
        <location filename="../../ui/app/tray.py" line="39"/>
        <source>Quit Offline Assistant?</source>
        <extracomment>(parent) -&gt; (QUIT | MINIMIZE | CANCEL, remember the answer)</extracomment>
        <translation>退出离线助手？</translation>
    </message>
    <message>
        <location filename="../../ui/app/tray.py" line="41"/>
        <source>This desktop has no system tray, so the app cannot keep running in the background. Reminders only appear while it runs; minimise it to keep them.</source>
        <translation>此桌面没有系统托盘，应用无法在后台继续运行。只有在应用运行时才会显示提醒；最小化即可保持运行。</translation>
    </message>
    <message>
        <location filename="../../ui/app/tray.py" line="47"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../ui/app/tray.py" line="48"/>
        <source>Minimize</source>
        <translation>最小化</translation>
    </message>
    <message>
        <location filename="../../ui/app/tray.py" line="50"/>
        <source>Remember my choice</source>
        <translation>记住我的选择</translation>
    </message>
</context>
<context>
    <name>TrayController</name>
    <message>
        <location filename="../../ui/app/tray.py" line="86"/>
        <source>Offline Assistant</source>
        <translation>离线助手</translation>
    </message>
    <message>
        <location filename="../../ui/app/tray.py" line="88"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../../ui/app/tray.py" line="89"/>
        <source>New chat</source>
        <translation>新建对话</translation>
    </message>
    <message>
        <location filename="../../ui/app/tray.py" line="91"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../ui/app/tray.py" line="122"/>
        <source>Offline Assistant is still running</source>
        <translation>离线助手仍在运行</translation>
    </message>
    <message>
        <location filename="../../ui/app/tray.py" line="123"/>
        <source>It keeps running in the tray so reminders can fire. Use Quit in the tray menu to exit.</source>
        <translation>它会在托盘中继续运行，以便按时提醒。使用托盘菜单中的“退出”来退出。</translation>
    </message>
</context>
<context>
    <name>TurnExtras</name>
    <message>
        <location filename="../../ui/chat/turn_extras.py" line="66"/>
        <source>A chat in the background is waiting for your permission to run %1.</source>
        <extracomment>Tool cards by call id; a confirmation still waiting survives switching chats.</extracomment>
        <translation>后台的一个聊天正在等待你允许运行 %1。</translation>
    </message>
    <message>
        <location filename="../../ui/chat/turn_extras.py" line="94"/>
        <location filename="../../ui/chat/turn_extras.py" line="107"/>
        <source>Saved to memory: “%1”</source>
        <translation>已存入记忆：“%1”</translation>
    </message>
    <message>
        <location filename="../../ui/chat/turn_extras.py" line="110"/>
        <source>Not saved: “%1”</source>
        <translation>未保存：“%1”</translation>
    </message>
    <message>
        <location filename="../../ui/chat/turn_extras.py" line="114"/>
        <source>Forgot %1 facts: %2</source>
        <translation>已忘记 %1 条事实：%2</translation>
    </message>
    <message>
        <location filename="../../ui/chat/turn_extras.py" line="117"/>
        <source>Nothing in memory matched “%1”.</source>
        <translation>记忆中没有与“%1”匹配的内容。</translation>
    </message>
</context>
<context>
    <name>WindowStatus</name>
    <message>
        <location filename="../../ui/shell/status_bar.py" line="25"/>
        <location filename="../../ui/shell/status_bar.py" line="75"/>
        <source>Ready</source>
        <extracomment>The last model load (backend, GPU layers, context); None until a load or after a switch.</extracomment>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../ui/shell/status_bar.py" line="49"/>
        <source>%1 (remote)</source>
        <translation>%1（远程）</translation>
    </message>
    <message>
        <location filename="../../ui/shell/status_bar.py" line="52"/>
        <source>No model set — choose one in Models</source>
        <translation>未设置模型 — 请在“模型”中选择</translation>
    </message>
    <message>
        <location filename="../../ui/shell/status_bar.py" line="54"/>
        <source>Click to manage models.</source>
        <translation>点击管理模型。</translation>
    </message>
    <message>
        <location filename="../../ui/shell/status_bar.py" line="60"/>
        <source>llama.cpp backend and GPU layers: decided when the model loads.</source>
        <translation>llama.cpp 后端和 GPU 层数：在加载模型时决定。</translation>
    </message>
    <message>
        <location filename="../../ui/shell/status_bar.py" line="61"/>
        <source>Backend: %1 · GPU layers: %2 · context %3 · loaded in %4 s</source>
        <translation>后端：%1 · GPU 层数：%2 · 上下文 %3 · 加载用时 %4 秒</translation>
    </message>
    <message>
        <location filename="../../ui/shell/status_bar.py" line="74"/>
        <source>Loading the model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <location filename="../../ui/shell/status_bar.py" line="76"/>
        <source>Generating…</source>
        <translation>正在生成…</translation>
    </message>
    <message>
        <location filename="../../ui/shell/status_bar.py" line="77"/>
        <source>Error</source>
        <translation>出错</translation>
    </message>
    <message>
        <location filename="../../ui/shell/status_bar.py" line="94"/>
        <source>Local API running at %1</source>
        <translation>本地 API 正在运行：%1</translation>
    </message>
</context>
</TS>
