set terminal pngcairo size 1100,520 enhanced font 'DejaVu Sans,10'
set output 'auc_mnist.png'
$D << EOD
0 -0.3333333333333333 84.99915440554709 0
1 -0.2 86.58512720156556 0
2 -0.06666666666666667 89.68101761252446 0
3 0.06666666666666667 60.422700587084144 0
4 0.2 67.69275929549902 0
5 0.3333333333333333 69.4931506849315 0
EOD
$P << EOD
EOD
set xtics ("3" 0)
set title "MNIST: AUC per class, mean and std over seeds (reproduce)"
set ylabel 'AUC (%)'
set xlabel 'normal class'
set grid ytics
set key outside right
set boxwidth 0.12666666666666665 absolute
set style fill solid 0.6 border -1
set yrange [*:100]
set xrange [-0.6:0.6]
plot $D using ($1==0 ? $2 : 1/0):3:4 with boxerrorbars lc 1 title "ocsvm", $D using ($1==1 ? $2 : 1/0):3:4 with boxerrorbars lc 2 title "kde", $D using ($1==2 ? $2 : 1/0):3:4 with boxerrorbars lc 3 title "isolation\\_forest", $D using ($1==3 ? $2 : 1/0):3:4 with boxerrorbars lc 4 title "dcae", $D using ($1==4 ? $2 : 1/0):3:4 with boxerrorbars lc 5 title "deep\\_svdd\\_soft", $D using ($1==5 ? $2 : 1/0):3:4 with boxerrorbars lc 6 title "hybrid\\_svdd"

unset output
reset
set terminal svg size 1100,520 enhanced font 'DejaVu Sans,10' background rgb 'white'
set output 'auc_mnist.svg'
$D << EOD
0 -0.3333333333333333 84.99915440554709 0
1 -0.2 86.58512720156556 0
2 -0.06666666666666667 89.68101761252446 0
3 0.06666666666666667 60.422700587084144 0
4 0.2 67.69275929549902 0
5 0.3333333333333333 69.4931506849315 0
EOD
$P << EOD
EOD
set xtics ("3" 0)
set title "MNIST: AUC per class, mean and std over seeds (reproduce)"
set ylabel 'AUC (%)'
set xlabel 'normal class'
set grid ytics
set key outside right
set boxwidth 0.12666666666666665 absolute
set style fill solid 0.6 border -1
set yrange [*:100]
set xrange [-0.6:0.6]
plot $D using ($1==0 ? $2 : 1/0):3:4 with boxerrorbars lc 1 title "ocsvm", $D using ($1==1 ? $2 : 1/0):3:4 with boxerrorbars lc 2 title "kde", $D using ($1==2 ? $2 : 1/0):3:4 with boxerrorbars lc 3 title "isolation\\_forest", $D using ($1==3 ? $2 : 1/0):3:4 with boxerrorbars lc 4 title "dcae", $D using ($1==4 ? $2 : 1/0):3:4 with boxerrorbars lc 5 title "deep\\_svdd\\_soft", $D using ($1==5 ? $2 : 1/0):3:4 with boxerrorbars lc 6 title "hybrid\\_svdd"

unset output
reset
