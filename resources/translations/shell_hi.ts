<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="hi_IN">
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change password</source>
        <translation>पासवर्ड बदलें</translation>
    </message>
    <message>
        <source>{name}, you signed in with a one-time password. Choose your own password to continue.</source>
        <translation>{name}, आपने एक बार के पासवर्ड से लॉग इन किया है। आगे बढ़ने के लिए अपना नया पासवर्ड चुनें।</translation>
    </message>
    <message>
        <source>Choose a new password for {user}.</source>
        <translation>{user} के लिए नया पासवर्ड चुनें।</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>वर्तमान पासवर्ड</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>नया पासवर्ड</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>नया पासवर्ड दोबारा</translation>
    </message>
    <message>
        <source>At least 8 characters, not only digits, not your user name.</source>
        <translation>कम से कम 8 अक्षर; केवल अंक नहीं, और उपयोगकर्ता नाम जैसा नहीं।</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>रद्द करें</translation>
    </message>
    <message>
        <source>Enter your current password.</source>
        <translation>अपना वर्तमान पासवर्ड डालें।</translation>
    </message>
    <message>
        <source>The two new passwords are not the same.</source>
        <translation>दोनों नए पासवर्ड एक जैसे नहीं हैं।</translation>
    </message>
</context>
<context>
    <name>CrashHandler</name>
    <message>
        <source>Nikay: unexpected error</source>
        <translation>निकाय: अनपेक्षित त्रुटि</translation>
    </message>
    <message>
        <source>Something went wrong inside Nikay. Receipts already saved are safe. Please tell the office&apos;s system administrator and give them the log file:
{path}</source>
        <translation>निकाय में कोई आंतरिक गड़बड़ी हुई। पहले से सहेजी गई रसीदें सुरक्षित हैं। कृपया कार्यालय के सिस्टम प्रशासक को सूचित करें और उन्हें यह लॉग फ़ाइल दें:
{path}</translation>
    </message>
    <message>
        <source>(could not be written)</source>
        <translation>(लिखी नहीं जा सकी)</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Too many failed attempts: this user is locked until {until} IST. Try again then, or ask the administrator to reset the password.</source>
        <translation>बहुत अधिक गलत प्रयास: यह उपयोगकर्ता {until} IST तक लॉक है। तब दोबारा प्रयास करें, या प्रशासक से पासवर्ड रीसेट करवाएँ।</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>उपयोगकर्ता नाम या पासवर्ड गलत है।</translation>
    </message>
    <message>
        <source>The current password is wrong.</source>
        <translation>वर्तमान पासवर्ड गलत है।</translation>
    </message>
    <message>
        <source>This user is disabled; ask the administrator.</source>
        <translation>यह उपयोगकर्ता निष्क्रिय है; प्रशासक से संपर्क करें।</translation>
    </message>
    <message>
        <source>Something went wrong; see the log.</source>
        <translation>कुछ गड़बड़ी हुई; लॉग देखें।</translation>
    </message>
    <message>
        <source>The password must have at least {min} characters (it has {n}).</source>
        <translation>पासवर्ड में कम से कम {min} अक्षर होने चाहिए (अभी {n} हैं)।</translation>
    </message>
    <message>
        <source>The password may have at most {max} characters.</source>
        <translation>पासवर्ड में अधिकतम {max} अक्षर हो सकते हैं।</translation>
    </message>
    <message>
        <source>The password must not be only digits; add letters or symbols.</source>
        <translation>पासवर्ड केवल अंकों का नहीं हो सकता; अक्षर या चिह्न जोड़ें।</translation>
    </message>
    <message>
        <source>The password must not start or end with a space.</source>
        <translation>पासवर्ड के आरंभ या अंत में स्पेस नहीं होना चाहिए।</translation>
    </message>
    <message>
        <source>The password must not be the same as the user name.</source>
        <translation>पासवर्ड उपयोगकर्ता नाम जैसा नहीं हो सकता।</translation>
    </message>
    <message>
        <source>The new password must be different from the current one.</source>
        <translation>नया पासवर्ड वर्तमान पासवर्ड से अलग होना चाहिए।</translation>
    </message>
</context>
<context>
    <name>HelpOverlay</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>कीबोर्ड शॉर्टकट</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>कुंजी</translation>
    </message>
    <message>
        <source>Esc or F1 closes this list.</source>
        <translation>Esc या F1 दबाने पर यह सूची बंद हो जाएगी।</translation>
    </message>
</context>
<context>
    <name>LoginWindow</name>
    <message>
        <source>Nikay — sign in</source>
        <translation>निकाय — लॉग इन</translation>
    </message>
    <message>
        <source>Nikay</source>
        <translation>निकाय</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>उपयोगकर्ता नाम (&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>पासवर्ड (&amp;P)</translation>
    </message>
    <message>
        <source>e.g. clerk1</source>
        <translation>उदा. clerk1</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>लॉग इन करें</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>लॉग इन हो रहा है…</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>भाषा:</translation>
    </message>
    <message>
        <source>Switch to English (Alt+E)</source>
        <translation>अंग्रेज़ी में बदलें (Alt+E)</translation>
    </message>
    <message>
        <source>Switch to Hindi (Alt+H)</source>
        <translation>हिन्दी में बदलें (Alt+H)</translation>
    </message>
    <message>
        <source>The data folder could not be opened: {error}</source>
        <translation>डेटा फ़ोल्डर नहीं खुल सका: {error}</translation>
    </message>
    <message>
        <source>First run: sign in as admin with the one-time password {password} and choose a new password. Write it down now; it is shown only once.</source>
        <translation>पहली बार उपयोग: admin के रूप में एक बार के पासवर्ड {password} से लॉग इन करें और नया पासवर्ड चुनें। इसे अभी लिख लें; यह केवल एक बार दिखाया जाएगा।</translation>
    </message>
    <message>
        <source>Property tax and user-charge counter</source>
        <translation>संपत्ति कर एवं उपभोक्ता शुल्क काउंटर</translation>
    </message>
    <message>
        <source>{name} ({other})
Office {office} · counter {device}</source>
        <translation>{name} ({other})
कार्यालय {office} · काउंटर {device}</translation>
    </message>
    <message>
        <source>Opening the data folder…</source>
        <translation>डेटा फ़ोल्डर खोला जा रहा है…</translation>
    </message>
    <message>
        <source>Enter your user name.</source>
        <translation>अपना उपयोगकर्ता नाम डालें।</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>अपना पासवर्ड डालें।</translation>
    </message>
    <message>
        <source>Please wait: the data folder is still being opened.</source>
        <translation>कृपया प्रतीक्षा करें: डेटा फ़ोल्डर अभी खोला जा रहा है।</translation>
    </message>
    <message>
        <source>You must choose a new password before you can continue. Sign in again.</source>
        <translation>आगे बढ़ने से पहले नया पासवर्ड चुनना आवश्यक है। फिर से लॉग इन करें।</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Show or hide this list of keyboard shortcuts</source>
        <translation>कीबोर्ड शॉर्टकट की यह सूची दिखाएँ या छिपाएँ</translation>
    </message>
    <message>
        <source>Open a screen (in the order of the list)</source>
        <translation>स्क्रीन खोलें (सूची के क्रम में)</translation>
    </message>
    <message>
        <source>Switch language: English / Hindi</source>
        <translation>भाषा बदलें: अंग्रेज़ी / हिन्दी</translation>
    </message>
    <message>
        <source>Larger / smaller text</source>
        <translation>अक्षर बड़े / छोटे करें</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>लॉग आउट</translation>
    </message>
    <message>
        <source>&amp;Nikay</source>
        <translation>निकाय (&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>जाएँ (&amp;G)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>दृश्य (&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>सहायता (&amp;H)</translation>
    </message>
    <message>
        <source>Change &amp;password…</source>
        <translation>पासवर्ड बदलें (&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Back up now</source>
        <translation>अभी बैकअप लें (&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Sign out</source>
        <translation>लॉग आउट (&amp;S)</translation>
    </message>
    <message>
        <source>E&amp;xit</source>
        <translation>बंद करें (&amp;X)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>भाषा (&amp;L)</translation>
    </message>
    <message>
        <source>Switch language</source>
        <translation>भाषा बदलें</translation>
    </message>
    <message>
        <source>&amp;Text size</source>
        <translation>अक्षरों का आकार (&amp;T)</translation>
    </message>
    <message>
        <source>{size} pt</source>
        <translation>{size} पॉइंट</translation>
    </message>
    <message>
        <source>Larger text</source>
        <translation>बड़े अक्षर</translation>
    </message>
    <message>
        <source>Smaller text</source>
        <translation>छोटे अक्षर</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>कीबोर्ड शॉर्टकट (&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About Nikay</source>
        <translation>निकाय के बारे में (&amp;A)</translation>
    </message>
    <message>
        <source>Nikay</source>
        <translation>निकाय</translation>
    </message>
    <message>
        <source>Counter: …  ·  {user}</source>
        <translation>काउंटर: …  ·  {user}</translation>
    </message>
    <message>
        <source>Counter {counter} open since {time}</source>
        <translation>काउंटर {counter} {time} से खुला</translation>
    </message>
    <message>
        <source>Counter {counter}: not open</source>
        <translation>काउंटर {counter}: खुला नहीं</translation>
    </message>
    <message numerus="yes">
        <source>Today: %n receipt(s)</source>
        <translation>
            <numerusform>आज: %n रसीद</numerusform>
            <numerusform>आज: %n रसीदें</numerusform>
        </translation>
    </message>
    <message>
        <source>Printer: not set up</source>
        <translation>प्रिंटर: सेट नहीं है</translation>
    </message>
    <message>
        <source>Sync: not enrolled</source>
        <translation>सिंक: पंजीकृत नहीं</translation>
    </message>
    <message>
        <source>Backup saved at {time}: {file}</source>
        <translation>बैकअप {time} बजे सहेजा गया: {file}</translation>
    </message>
    <message>
        <source>Backup failed: {error}</source>
        <translation>बैकअप नहीं हो सका: {error}</translation>
    </message>
    <message>
        <source>Password changed.</source>
        <translation>पासवर्ड बदल दिया गया।</translation>
    </message>
    <message>
        <source>About Nikay</source>
        <translation>निकाय के बारे में</translation>
    </message>
    <message>
        <source>Nikay — the office system of Chhattisgarh&apos;s urban local bodies.
Works offline on this PC&apos;s own database and synchronises with the central server.
Fonts: Noto Sans and Noto Sans Devanagari (SIL Open Font License 1.1).</source>
        <translation>निकाय — छत्तीसगढ़ के नगरीय निकायों की कार्यालय प्रणाली।
यह इस कंप्यूटर के अपने डेटाबेस पर ऑफ़लाइन काम करती है और केंद्रीय सर्वर से सिंक होती है।
फ़ॉन्ट: Noto Sans और Noto Sans Devanagari (SIL Open Font License 1.1)।</translation>
    </message>
</context>
<context>
    <name>Operations</name>
    <message>
        <source>Nikay</source>
        <extracomment>a NikayError nobody handled; the main window shows it (non-modal). Argument: the message. True while any operation is pending (for a busy indicator), False when idle again.</extracomment>
        <translation>निकाय</translation>
    </message>
</context>
<context>
    <name>OverviewScreen</name>
    <message>
        <source>Counter clerk</source>
        <translation>काउंटर लिपिक</translation>
    </message>
    <message>
        <source>Cashier-supervisor</source>
        <translation>कैशियर-पर्यवेक्षक</translation>
    </message>
    <message>
        <source>Engineer</source>
        <translation>अभियंता</translation>
    </message>
    <message>
        <source>HR</source>
        <translation>मानव संसाधन</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>लेखा</translation>
    </message>
    <message>
        <source>Commissioner</source>
        <translation>आयुक्त</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>प्रशासक</translation>
    </message>
    <message>
        <source>Signed in as</source>
        <translation>लॉग इन उपयोगकर्ता</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>भूमिका</translation>
    </message>
    <message>
        <source>Urban local body</source>
        <translation>नगरीय निकाय</translation>
    </message>
    <message>
        <source>Office and counter</source>
        <translation>कार्यालय एवं काउंटर</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>डेटा फ़ोल्डर</translation>
    </message>
    <message>
        <source>Office {office}, counter {counter}</source>
        <translation>कार्यालय {office}, काउंटर {counter}</translation>
    </message>
    <message>
        <source>Use the list on the left (or Ctrl+1, Ctrl+2, …) to open a screen. Press F1 for the keyboard shortcuts. Screens your role may not use are not shown.</source>
        <translation>कोई स्क्रीन खोलने के लिए बाईं ओर की सूची (या Ctrl+1, Ctrl+2, …) का उपयोग करें। कीबोर्ड शॉर्टकट के लिए F1 दबाएँ। जिन स्क्रीनों की अनुमति आपकी भूमिका को नहीं है, वे यहाँ नहीं दिखतीं।</translation>
    </message>
</context>
<context>
    <name>Screens</name>
    <message>
        <source>Counter</source>
        <translation>काउंटर</translation>
    </message>
    <message>
        <source>Receipts</source>
        <translation>रसीदें</translation>
    </message>
    <message>
        <source>Day-end</source>
        <translation>दिवस समापन</translation>
    </message>
    <message>
        <source>Office</source>
        <translation>कार्यालय</translation>
    </message>
</context>
<context>
    <name>UnavailableScreen</name>
    <message>
        <source>The {screen} screen is not available in this build. See the log for details.</source>
        <translation>{screen} स्क्रीन इस संस्करण में उपलब्ध नहीं है। विवरण के लिए लॉग देखें।</translation>
    </message>
</context>
</TS>
