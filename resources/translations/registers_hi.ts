<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="hi_IN">
    <context>
        <name>RegistersScreen</name>
        <message>
            <source>&amp;Date</source>
            <translation>दिनांक (&amp;D)</translation>
        </message>
        <message>
            <source>All counters of this device</source>
            <translation>इस उपकरण के सभी काउंटर</translation>
        </message>
        <message>
            <source>Amount</source>
            <translation>राशि</translation>
        </message>
        <message>
            <source>Approved by</source>
            <translation>अनुमोदक</translation>
        </message>
        <message>
            <source>Arrears</source>
            <translation>बकाया</translation>
        </message>
        <message>
            <source>By mode of payment</source>
            <translation>भुगतान माध्यमवार</translation>
        </message>
        <message>
            <source>By service</source>
            <translation>सेवावार</translation>
        </message>
        <message>
            <source>Service</source>
            <translation>सेवा</translation>
        </message>
        <message>
            <source>By revenue head</source>
            <translation>राजस्व मदवार</translation>
        </message>
        <message>
            <source>Cancelled</source>
            <translation>निरस्त</translation>
        </message>
        <message>
            <source>Cancelled / dishonoured</source>
            <translation>निरस्त / अनादृत</translation>
        </message>
        <message>
            <source>Cancelled / dishonoured (%1), not counted: </source>
            <translation>निरस्त / अनादृत (%1), योग में नहीं: </translation>
        </message>
        <message>
            <source>Cancelled receipts</source>
            <translation>निरस्त रसीदें</translation>
        </message>
        <message>
            <source>Collection register (receipt-wise)</source>
            <translation>संग्रह पंजी (रसीदवार)</translation>
        </message>
        <message>
            <source>Collector</source>
            <translation>संग्रहकर्ता</translation>
        </message>
        <message>
            <source>Ctrl+D: choose the date</source>
            <translation>Ctrl+D: दिनांक चुनें</translation>
        </message>
        <message>
            <source>Current</source>
            <translation>चालू</translation>
        </message>
        <message>
            <source>Daily Collection Summary</source>
            <translation>दैनिक संग्रह सारांश</translation>
        </message>
        <message>
            <source>Dishonoured</source>
            <translation>अनादृत</translation>
        </message>
        <message>
            <source>First receipt</source>
            <translation>पहली रसीद</translation>
        </message>
        <message>
            <source>Instrument</source>
            <translation>लिखत</translation>
        </message>
        <message>
            <source>Kind</source>
            <translation>प्रकार</translation>
        </message>
        <message>
            <source>Last receipt</source>
            <translation>अंतिम रसीद</translation>
        </message>
        <message>
            <source>Mode</source>
            <translation>माध्यम</translation>
        </message>
        <message>
            <source>PDF files (*.pdf)</source>
            <translation>PDF फ़ाइलें (*.pdf)</translation>
        </message>
        <message>
            <source>Payer</source>
            <translation>भुगतानकर्ता</translation>
        </message>
        <message>
            <source>Property</source>
            <translation>संपत्ति</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>कारण</translation>
        </message>
        <message>
            <source>Receipt No.</source>
            <translation>रसीद क्र.</translation>
        </message>
        <message>
            <source>Receipt date</source>
            <translation>रसीद दिनांक</translation>
        </message>
        <message>
            <source>Receipts</source>
            <translation>रसीदें</translation>
        </message>
        <message>
            <source>Receipts issued</source>
            <translation>जारी रसीदें</translation>
        </message>
        <message>
            <source>Receipts that stand (%1), total: </source>
            <translation>मान्य रसीदें (%1), योग: </translation>
        </message>
        <message>
            <source>Refresh (F5)</source>
            <translation>फिर से पढ़ें (F5)</translation>
        </message>
        <message>
            <source>Registers of the day</source>
            <translation>दिन की पंजियाँ</translation>
        </message>
        <message>
            <source>Revenue head</source>
            <translation>राजस्व मद</translation>
        </message>
        <message>
            <source>Save PDF… (Ctrl+S)</source>
            <translation>PDF सहेजें… (Ctrl+S)</translation>
        </message>
        <message>
            <source>Save the registers as PDF</source>
            <translation>पंजियाँ PDF में सहेजें</translation>
        </message>
        <message>
            <source>Saved: %1</source>
            <translation>सहेजा गया: %1</translation>
        </message>
        <message>
            <source>Saving the PDF…</source>
            <translation>PDF सहेजी जा रही है…</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>स्थिति</translation>
        </message>
        <message>
            <source>The PDF could not be saved: %1</source>
            <translation>PDF सहेजी नहीं जा सकी: %1</translation>
        </message>
        <message>
            <source>The day at a glance</source>
            <translation>दिन एक नज़र में</translation>
        </message>
        <message>
            <source>The summary, the collection register and the cancelled register, A4</source>
            <translation>सारांश, संग्रह पंजी और निरस्त रसीद पंजी, A4</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>समय</translation>
        </message>
        <message>
            <source>Total</source>
            <translation>कुल योग</translation>
        </message>
        <message>
            <source>Total cancelled (%1): </source>
            <translation>निरस्त राशि का योग (%1): </translation>
        </message>
        <message>
            <source>Total collected (receipts that stand)</source>
            <translation>कुल संग्रह (मान्य रसीदें)</translation>
        </message>
        <message>
            <source>When</source>
            <translation>कब</translation>
        </message>
    </context>
    <context>
        <name>RegistersShortcuts</name>
        <message>
            <source>Choose the date</source>
            <translation>दिनांक चुनें</translation>
        </message>
        <message>
            <source>Next / previous register</source>
            <translation>अगली / पिछली पंजी</translation>
        </message>
        <message>
            <source>Summary / collection / cancelled register</source>
            <translation>सारांश / संग्रह पंजी / निरस्त रसीद पंजी</translation>
        </message>
        <message>
            <source>Save the registers as PDF</source>
            <translation>पंजियाँ PDF में सहेजें</translation>
        </message>
        <message>
            <source>Read the registers again</source>
            <translation>पंजियाँ फिर से पढ़ें</translation>
        </message>
    </context>
    <context>
        <name>Screens</name>
        <message>
            <source>Registers</source>
            <translation>पंजियाँ</translation>
        </message>
    </context>
</TS>
