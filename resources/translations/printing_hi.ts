<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="hi_IN">
<context>
    <name>PrinterBanner</name>
    <message>
        <location filename="../../ui/printing/worker.py" line="209" />
        <source>Printer: …</source>
        <extracomment>a job finished an attempt (PrintJobInfo: done or failed), on the GUI thread</extracomment>
        <translation>प्रिंटर: …</translation>
    </message>
    <message>
        <location filename="../../ui/printing/worker.py" line="211" />
        <source>Printer: not set up</source>
        <translation>प्रिंटर: सेट नहीं है</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/printing/worker.py" line="213" />
        <source>Printer: problem · %n receipt(s) not printed</source>
        <translation>
            <numerusform>प्रिंटर: समस्या · %n रसीद नहीं छपी</numerusform>
            <numerusform>प्रिंटर: समस्या · %n रसीदें नहीं छपीं</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/printing/worker.py" line="215" />
        <source>Printer: printing · %n receipt(s) waiting</source>
        <translation>
            <numerusform>प्रिंटर: छप रही है · %n रसीद प्रतीक्षा में</numerusform>
            <numerusform>प्रिंटर: छप रही हैं · %n रसीदें प्रतीक्षा में</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/printing/worker.py" line="216" />
        <source>Printer: ready</source>
        <translation>प्रिंटर: तैयार</translation>
    </message>
    <message>
        <location filename="../../ui/printing/worker.py" line="220" />
        <source>Printer settings…</source>
        <translation>प्रिंटर सेटिंग…</translation>
    </message>
    <message>
        <location filename="../../ui/printing/worker.py" line="223" />
        <source>Retry printing</source>
        <translation>फिर से छापें</translation>
    </message>
    <message>
        <location filename="../../ui/printing/worker.py" line="224" />
        <source>Send the receipts that were not printed to the printer again</source>
        <translation>जो रसीदें नहीं छपीं, उन्हें फिर से प्रिंटर पर भेजें</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/printing/worker.py" line="227" />
        <source>%n receipt(s) saved but not printed.</source>
        <translation>
            <numerusform>%n रसीद सहेजी गई, पर छपी नहीं।</numerusform>
            <numerusform>%n रसीदें सहेजी गईं, पर छपी नहीं।</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/printing/worker.py" line="237" />
        <source>Not printed yet:</source>
        <translation>अभी तक नहीं छपी:</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/printing/worker.py" line="239" />
        <source>… and %n more</source>
        <translation>
            <numerusform>… और %n</numerusform>
            <numerusform>… और %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PrinterSettingsDialog</name>
    <message>
        <location filename="../../ui/printing/settings.py" line="189" />
        <source>Printer settings</source>
        <extracomment>called after a save finished (tests and the shell)</extracomment>
        <translation>प्रिंटर सेटिंग</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="191" />
        <source>&amp;Printer name</source>
        <translation>प्रिंटर का नाम (&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="192" />
        <source>&amp;Connection</source>
        <translation>कनेक्शन (&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="193" />
        <source>&amp;Address / device</source>
        <translation>पता / डिवाइस (&amp;A)</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="194" />
        <source>Capability p&amp;rofile</source>
        <translation>क्षमता प्रोफ़ाइल (&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="195" />
        <source>Paper &amp;width</source>
        <translation>कागज़ की चौड़ाई (&amp;W)</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="196" />
        <source>&amp;Image method</source>
        <translation>इमेज विधि (&amp;I)</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="197" />
        <source>&amp;Fragment height (dots)</source>
        <translation>खंड की ऊँचाई, डॉट (&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="198" />
        <source>C&amp;opies</source>
        <translation>प्रतियाँ (&amp;O)</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="199" />
        <source>C&amp;ut</source>
        <translation>कटिंग (&amp;U)</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="200" />
        <source>&amp;Default</source>
        <translation>डिफ़ॉल्ट (&amp;D)</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="205" />
        <source>USB</source>
        <translation>USB</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="206" />
        <source>Serial port</source>
        <translation>सीरियल पोर्ट</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="207" />
        <source>Network (port 9100)</source>
        <translation>नेटवर्क (पोर्ट 9100)</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="208" />
        <source>CUPS / LP queue (Linux)</source>
        <translation>CUPS / LP कतार (लिनक्स)</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="209" />
        <source>Windows printer (spooler, raw)</source>
        <translation>विंडोज़ प्रिंटर (स्पूलर, रॉ)</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="210" />
        <source>File</source>
        <translation>फ़ाइल</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="214" />
        <source>Cut the paper after each receipt (if the printer has a cutter)</source>
        <translation>हर रसीद के बाद कागज़ काटें (यदि प्रिंटर में कटर है)</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="216" />
        <source>Default printer for this counter ({counter})</source>
        <translation>इस काउंटर ({counter}) का डिफ़ॉल्ट प्रिंटर</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="219" />
        <source>Height of each image piece sent to the printer. Lower it if long receipts come out garbled.</source>
        <translation>प्रिंटर को भेजे गए हर इमेज खंड की ऊँचाई। लंबी रसीदें बिगड़कर छपें तो इसे घटाएँ।</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="221" />
        <source>Try another method if the printer prints garbage or nothing.</source>
        <translation>प्रिंटर गड़बड़ छापे या कुछ न छापे तो दूसरी विधि आज़माएँ।</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="222" />
        <source>&amp;Test print</source>
        <translation>परीक्षण प्रिंट (&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="223" />
        <source>&amp;Save</source>
        <translation>सहेजें (&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="224" />
        <source>Close</source>
        <translation>बंद करें</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="234" />
        <source>VID:PID in hex, e.g. 0416:5011 (empty: the first printer found)</source>
        <translation>हेक्स में VID:PID, जैसे 0416:5011 (खाली: पहला मिला प्रिंटर)</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="235" />
        <source>e.g. COM3 or /dev/ttyUSB0</source>
        <translation>जैसे COM3 या /dev/ttyUSB0</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="236" />
        <source>IP address, optionally :port, e.g. 192.168.1.50</source>
        <translation>IP पता, चाहें तो :पोर्ट, जैसे 192.168.1.50</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="237" />
        <source>CUPS queue name (empty: the default queue)</source>
        <translation>CUPS कतार का नाम (खाली: डिफ़ॉल्ट कतार)</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="238" />
        <source>Windows printer name, e.g. POS-58</source>
        <translation>विंडोज़ प्रिंटर का नाम, जैसे POS-58</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="239" />
        <source>file or device path, e.g. /dev/usb/lp0</source>
        <translation>फ़ाइल या डिवाइस पथ, जैसे /dev/usb/lp0</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="312" />
        <source>Receipt printer</source>
        <translation>रसीद प्रिंटर</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="339" />
        <source>Saved printer “{name}”.</source>
        <translation>प्रिंटर “{name}” सहेजा गया।</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="354" />
        <source>Sending a test page to “{name}”…</source>
        <translation>“{name}” पर परीक्षण पृष्ठ भेजा जा रहा है…</translation>
    </message>
    <message>
        <location filename="../../ui/printing/settings.py" line="359" />
        <source>Test page sent. If nothing came out, check paper, cover and cable, then the settings.</source>
        <translation>परीक्षण पृष्ठ भेजा गया। कुछ न छपे तो कागज़, कवर और केबल देखें, फिर सेटिंग।</translation>
    </message>
</context>
</TS>