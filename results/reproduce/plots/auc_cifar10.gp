set terminal pngcairo size 1100,520 enhanced font 'DejaVu Sans,10'
set output 'auc_cifar10.png'
$D << EOD
0 -0.2 59.08392682586231 0
1 0.2 49.62644881999721 0
EOD
$P << EOD
EOD
set xtics ("5" 0)
set title "CIFAR-10: AUC per class, mean and std over seeds (reproduce)"
set ylabel 'AUC (%)'
set xlabel 'normal class'
set grid ytics
set key outside right
set boxwidth 0.38 absolute
set style fill solid 0.6 border -1
set yrange [*:100]
set xrange [-0.6:0.6]
plot $D using ($1==0 ? $2 : 1/0):3:4 with boxerrorbars lc 1 title "dcae", $D using ($1==1 ? $2 : 1/0):3:4 with boxerrorbars lc 2 title "deep\\_svdd\\_soft"

unset output
reset
set terminal svg size 1100,520 enhanced font 'DejaVu Sans,10' background rgb 'white'
set output 'auc_cifar10.svg'
$D << EOD
0 -0.2 59.08392682586231 0
1 0.2 49.62644881999721 0
EOD
$P << EOD
EOD
set xtics ("5" 0)
set title "CIFAR-10: AUC per class, mean and std over seeds (reproduce)"
set ylabel 'AUC (%)'
set xlabel 'normal class'
set grid ytics
set key outside right
set boxwidth 0.38 absolute
set style fill solid 0.6 border -1
set yrange [*:100]
set xrange [-0.6:0.6]
plot $D using ($1==0 ? $2 : 1/0):3:4 with boxerrorbars lc 1 title "dcae", $D using ($1==1 ? $2 : 1/0):3:4 with boxerrorbars lc 2 title "deep\\_svdd\\_soft"

unset output
reset
