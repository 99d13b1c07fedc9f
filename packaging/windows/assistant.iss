; Inno Setup script for Offline Assistant (Windows x64).
;
; Build the PyInstaller bundle first (from the repository root):
;   pyinstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller packaging\assistant.spec
; then compile (the version comes from assistant\__init__.py, passed by CI):
;   iscc /DAppVersion=0.1.0 packaging\windows\assistant.iss
; Output: dist\offline-assistant-<version>-setup.exe
;
; Installs per user by default (no admin prompt; "Install for all users" is offered).
; Uninstalling removes the program only: chats, settings and models in
; %LOCALAPPDATA%\offline-assistant are never deleted.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "Offline Assistant"
#define AppId "offline-assistant"
#define AppExe "assistant.exe"
#define BundleDir "..\..\dist\offline-assistant"

[Setup]
; A fixed AppId keeps upgrades in place (same folder, same uninstaller entry).
AppId={{6F1D2C1E-8A4B-4C55-9A62-0FF1A7E5A5B1}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Offline Assistant developers
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename={#AppId}-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\offline-assistant.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2/max
SolidCompression=yes
LZMANumBlockThreads=2
WizardStyle=modern
; The app holds files open while running: close it before upgrading or uninstalling.
CloseApplications=force
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole bundle: stale libraries of the previous version must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the program itself may leave next to its files; user data lives elsewhere.
Type: filesandordirs; Name: "{app}\_internal"

[Registry]
; The "start at login" option writes HKCU\...\Run "offline-assistant"; remove it on uninstall so no
; dangling entry is left behind (the value is the app's, not user data).
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: none; ValueName: "offline-assistant"; Flags: uninsdeletevalue dontcreatekey
