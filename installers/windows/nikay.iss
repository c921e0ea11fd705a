; Inno Setup script: packages the PyInstaller onedir bundle (dist\nikay\) into NikaySetup-<version>.exe.
;
; Build (on Windows, after `make translations` and `make bundle`, from the repository root):
;     iscc /DAppVersion=0.1.0 installers\windows\nikay.iss
; Output: dist\installer\NikaySetup-0.1.0.exe. Sign both nikay.exe and the setup with the department's
; code-signing certificate (SignTool) before distributing.
;
; Install: per machine under {autopf}\Nikay (Program Files); needs admin once. Each Windows user's data
; (the SQLite database, backups, logs, ui-settings.ini) lives in %LOCALAPPDATA%\SUDA Chhattisgarh\nikay
; (platformdirs) and is NEVER removed by uninstall or upgrade: receipts must survive a reinstall.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Nikay"
#define AppPublisher "State Urban Development Agency, Chhattisgarh"
#define AppExeName "nikay.exe"
#define BundleDir "..\..\dist\nikay"

[Setup]
; A fixed AppId: upgrades replace the previous install instead of adding a second one.
AppId={{7E4C2A57-3B1D-4C8E-9A61-2F0D5B9C8E14}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist\installer
OutputBaseFilename=NikaySetup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName} {#AppVersion}
VersionInfoVersion={#AppVersion}
VersionInfoCompany={#AppPublisher}
VersionInfoDescription={#AppName} setup
LicenseFile=..\..\resources\fonts\OFL.txt
; Close a running Nikay before replacing its files (it finishes its queued writes on close).
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
; Inno Setup ships no Hindi wizard translation; the app itself switches to Hindi at the login window.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade must not mix old and new Python modules or Qt DLLs inside the bundle.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\{#AppExeName}"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#BundleDir}\_internal\*"; DestDir: "{app}\_internal"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExeName}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the installer put in {app}; the user's data folder is deliberately left alone.
Type: filesandordirs; Name: "{app}\_internal"

