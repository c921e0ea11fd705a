<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="hi_IN">
    <context>
        <name>Screens</name>
        <message>
            <source>DCB statement</source>
            <translation>मांग-वसूली-शेष (डीसीबी)</translation>
        </message>
    </context>
    <context>
        <name>DcbScreen</name>
        <message>
            <source>Opening arrears</source>
            <translation>प्रारंभिक बकाया</translation>
        </message>
        <message>
            <source>Current demand</source>
            <translation>चालू मांग</translation>
        </message>
        <message>
            <source>Total demand</source>
            <translation>कुल मांग</translation>
        </message>
        <message>
            <source>Collected: arrears</source>
            <translation>वसूली: बकाया</translation>
        </message>
        <message>
            <source>Collected: current</source>
            <translation>वसूली: चालू</translation>
        </message>
        <message>
            <source>Total collected</source>
            <translation>कुल वसूली</translation>
        </message>
        <message>
            <source>Rebate</source>
            <translation>छूट</translation>
        </message>
        <message>
            <source>Surcharge, penalty accrued</source>
            <translation>अधिभार, शास्ति</translation>
        </message>
        <message>
            <source>Balance</source>
            <translation>शेष</translation>
        </message>
        <message>
            <source>Revenue head</source>
            <translation>राजस्व मद</translation>
        </message>
        <message>
            <source>Ward</source>
            <translation>वार्ड</translation>
        </message>
        <message>
            <source>Service</source>
            <translation>सेवा</translation>
        </message>
        <message>
            <source>Choose the financial year</source>
            <translation>वित्त वर्ष चुनें</translation>
        </message>
        <message>
            <source>Group by head, ward or service</source>
            <translation>मद, वार्ड या सेवा के अनुसार</translation>
        </message>
        <message>
            <source>Save the statement as PDF</source>
            <translation>विवरण PDF में सहेजें</translation>
        </message>
        <message>
            <source>Read the statement again</source>
            <translation>विवरण फिर से पढ़ें</translation>
        </message>
        <message>
            <source>Demand, collection and balance</source>
            <translation>मांग, वसूली एवं शेष</translation>
        </message>
        <message>
            <source>&amp;Financial year</source>
            <translation>वित्त वर्ष (&amp;F)</translation>
        </message>
        <message>
            <source>&amp;Group by</source>
            <translation>समूह (&amp;G)</translation>
        </message>
        <message>
            <source>&amp;Ward</source>
            <translation>वार्ड (&amp;W)</translation>
        </message>
        <message>
            <source>All wards</source>
            <translation>सभी वार्ड</translation>
        </message>
        <message>
            <source>Refresh (F5)</source>
            <translation>ताज़ा करें (F5)</translation>
        </message>
        <message>
            <source>Save PDF…</source>
            <translation>PDF सहेजें…</translation>
        </message>
        <message>
            <source>Balance = opening arrears + current demand − collected − rebate.</source>
            <translation>शेष = प्रारंभिक बकाया + चालू मांग − वसूली − छूट।</translation>
        </message>
        <message>
            <source>Total</source>
            <translation>योग</translation>
        </message>
        <message>
            <source>Receipts of the year that stand: %1 — equal to the total collected. Surcharge as of %2.</source>
            <translation>वर्ष की मान्य रसीदें: %1 — कुल वसूली के बराबर। अधिभार %2 तक।</translation>
        </message>
        <message>
            <source>Receipts of the year that stand: %1 — NOT equal to the total collected. Surcharge as of %2.</source>
            <translation>वर्ष की मान्य रसीदें: %1 — कुल वसूली के बराबर नहीं। अधिभार %2 तक।</translation>
        </message>
        <message>
            <source>Saved %1</source>
            <translation>सहेजा गया: %1</translation>
        </message>
    </context>
</TS>
